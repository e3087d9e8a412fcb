import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/src/workflows/index.js: the entry the bundler starts from. */
export const workflowsPath = path.resolve(here, '../workflows/index.js');
/** dist/workflow-bundle.js: written at build time so workers start without running webpack. */
export const prebuiltBundlePath = path.resolve(here, '../../workflow-bundle.js');

/** The prebuilt bundle when it is at least as new as the compiled workflows, else the source path. */
export function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  if (fs.existsSync(prebuiltBundlePath)) {
    const bundleTime = fs.statSync(prebuiltBundlePath).mtimeMs;
    const newest = newestMtime(path.dirname(workflowsPath));
    if (bundleTime >= newest) return { workflowBundle: { codePath: prebuiltBundlePath } };
  }
  return { workflowsPath };
}

function newestMtime(dir: string): number {
  return Math.max(
    0,
    ...fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => fs.statSync(path.join(dir, f)).mtimeMs),
  );
}
