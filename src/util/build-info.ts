import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface BuildInfo {
  version: string;
  /** The git commit of the checkout, or MPCTL_COMMIT (images have no .git); null if neither is known. */
  commit: string | null;
}

let cached: BuildInfo | undefined;

/** mpctl's own version and commit, read once per process. */
export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  let commit = process.env.MPCTL_COMMIT || null;
  if (!commit) {
    try {
      commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    } catch {
      commit = null;
    }
  }
  cached = { version: pkg.version, commit };
  return cached;
}
