#!/usr/bin/env node
// Native addons (better-sqlite3) are compiled by `npm ci` for the Node that runs npm, which on a
// machine whose system Node is 20 is not the Node 24 mpctl runs on (bin/pinned-node.js): the ABI
// differs and the addon fails to load. Rebuild them against the pinned Node's own headers (it
// ships include/node, so nothing is downloaded) when, and only when, they do not load under it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pinnedDir = path.join(root, 'node_modules', `node-linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`);
const pinned = path.join(pinnedDir, 'bin', 'node');
const ADDONS = [['better-sqlite3', "new (require('better-sqlite3'))(':memory:').close()"]];

if (!fs.existsSync(pinned)) process.exit(0); // no pinned Node on this platform: the system Node runs everything
for (const [name, probe] of ADDONS) {
  const loads = () => spawnSync(pinned, ['-e', probe], { cwd: root, stdio: 'ignore' }).status === 0;
  if (loads()) continue;
  console.error(`rebuilding ${name} for the pinned Node (${pinned})…`);
  const r = spawnSync('npm', ['rebuild', name], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${path.dirname(pinned)}:${process.env.PATH}`, npm_config_nodedir: pinnedDir },
  });
  if (r.status !== 0 || !loads()) {
    console.error(`${name} does not load under ${pinned} even after a rebuild`);
    process.exit(1);
  }
}
