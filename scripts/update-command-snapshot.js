#!/usr/bin/env node
// Rewrites test/cli/command-snapshot.json from the built CLI; commit it with the change that moved the surface.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { commandSurface } = await import(path.join(root, 'dist/test/helpers/command-surface.js'));
const file = path.join(root, 'test/cli/command-snapshot.json');
fs.writeFileSync(file, JSON.stringify(await commandSurface(root), null, 2) + '\n');
console.log(`wrote ${path.relative(root, file)}`);
