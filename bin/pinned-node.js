// The project's pinned Node runtime: the `node-linux-<arch>` npm package (an optionalDependency,
// so `npm ci` installs only the one matching this machine) puts a Node 24 binary at
// node_modules/.bin/node. npm scripts find it first on PATH; this covers the entry points that
// are run directly (`./bin/run.js`, `node scripts/test.js`) with an older system Node.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PINNED_MAJOR = 24;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pinnedBinDir = path.join(root, 'node_modules', '.bin');

/** Node majors the dependencies support (package.json `engines`: ^22.17 || ^24). */
export function isSupported(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  return major === 24 || (major === 22 && minor >= 17);
}

/**
 * Re-runs this process's script under the pinned Node when `needsPinned` says the current one
 * will not do and the pinned binary is installed. Resolves only if the current Node is kept;
 * otherwise the process exits with the child's status (signals are passed on, so a supervisor's
 * SIGTERM or a terminal's Ctrl-C reach the real process).
 */
export async function usePinnedNode(needsPinned = () => !isSupported()) {
  const pinned = path.join(pinnedBinDir, 'node');
  if (!needsPinned() || process.env.MPCTL_PINNED_NODE_REEXEC || !fs.existsSync(pinned)) return;
  const env = {
    ...process.env,
    MPCTL_PINNED_NODE_REEXEC: '1',
    // Whatever the child spawns by name (`node`, `npm`) gets the pinned runtime as well.
    PATH: `${pinnedBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  const child = spawn(pinned, [...process.execArgv, ...process.argv.slice(1)], { env, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  if (signal) {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, forward);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
}
