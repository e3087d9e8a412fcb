import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readManifest, type ModuleManifest } from '../../src/external/manifest.js';

export const SITE_FILES = path.resolve(import.meta.dirname, '../../../test/fixtures/modules/site_files');

/** A module folder (in its own module path) from the site_files fixture, with a rewritten run.sh. */
export function fixtureModule(options: { name?: string; script?: string; yml?: (text: string) => string } = {}): {
  modulePath: string;
  dir: string;
  manifest(): ModuleManifest;
} {
  const modulePath = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-modules-'));
  const name = options.name ?? 'site_files';
  const dir = path.join(modulePath, name);
  fs.cpSync(SITE_FILES, dir, { recursive: true });
  const file = path.join(dir, 'module.yml');
  let yml = fs.readFileSync(file, 'utf8').replaceAll('site_files', name);
  if (options.yml) yml = options.yml(yml);
  fs.writeFileSync(file, yml);
  const script = options.script ?? fs.readFileSync(path.join(dir, 'run.sh'), 'utf8');
  fs.writeFileSync(path.join(dir, 'run.sh'), script.replaceAll('site_files', name));
  return { modulePath, dir, manifest: () => readManifest(file) };
}
