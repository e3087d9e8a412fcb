import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors/index.js';
import { MANIFEST_FILE, readManifest, type ModuleManifest } from './manifest.js';

/** The external modules mpctl ships (dynamics, …): the repository's modules/ folder. */
export const SHIPPED_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../modules');

/** Folders inside the module folder that are not the module's code. */
const NOT_CODE = new Set(['__pycache__', '.git', 'node_modules', '.venv', '.mypy_cache', '.pytest_cache']);

/** Every module.yml under the module paths: a module path holds module folders (or is one). */
export function manifestFiles(modulePaths: string[]): string[] {
  const files: string[] = [];
  for (const dir of [SHIPPED_MODULES, ...modulePaths]) {
    if (!fs.existsSync(dir)) continue;
    if (fs.existsSync(path.join(dir, MANIFEST_FILE))) {
      files.push(path.join(dir, MANIFEST_FILE));
      continue;
    }
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name, MANIFEST_FILE);
      if (!entry.name.startsWith('.') && fs.existsSync(file)) files.push(file);
    }
  }
  return [...new Set(files.map((f) => path.resolve(f)))];
}

/** The manifests under the module paths; a name used by two folders is a ConfigError naming both files. */
export function loadManifests(modulePaths: string[]): ModuleManifest[] {
  const byName = new Map<string, ModuleManifest>();
  for (const file of manifestFiles(modulePaths)) {
    const manifest = readManifest(file);
    const other = byName.get(manifest.name);
    if (other) throw new ConfigError(`${file}: name: module "${manifest.name}" is also declared in ${other.file}`);
    byName.set(manifest.name, manifest);
  }
  return [...byName.values()];
}

/** What tells a changed manifest: the files' paths, sizes and modification times. */
export function manifestsSignature(modulePaths: string[]): string {
  return manifestFiles(modulePaths)
    .map((file) => {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      return `${file}:${stat?.size}:${stat?.mtimeMs}`;
    })
    .join('\n');
}

/** A content hash of the module folder (its code, not caches), for provenance. */
export function folderHash(dir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (NOT_CODE.has(entry.name) || entry.name.endsWith('.pyc')) continue;
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        hash.update(path.relative(dir, full)).update('\0').update(fs.readFileSync(full)).update('\0');
      }
    }
  };
  walk(dir);
  return hash.digest('hex');
}
