import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';
import { commandSurface } from '../helpers/command-surface.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SNAPSHOT = path.join(root, 'test/cli/command-snapshot.json');

// A renamed flag or a dropped --json key breaks scripts: it must change this snapshot, on purpose,
// in the same commit (`npm run snapshot:update` rewrites it).
test('the command surface (commands, flags, args, --json top-level keys) matches command-snapshot.json', async () => {
  const current = await commandSurface(root);
  const recorded = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')) as typeof current;
  assert.deepEqual(current, recorded, 'the command surface changed: if on purpose, run `npm run snapshot:update`');
});

test('every command prints JSON with named keys and has examples in its --help', async () => {
  const current = await commandSurface(root);
  for (const command of (await Config.load(root)).commands) {
    assert.ok((command.examples ?? []).length > 0, `${command.id} has examples`);
  }
  for (const [id, surface] of Object.entries(current)) {
    assert.ok(surface.flags.includes('json'), `${id} has --json`);
    assert.ok(
      surface.jsonKeys.length > 0 && surface.jsonKeys.every((keys) => keys.length > 0),
      `${id}: ${JSON.stringify(surface.jsonKeys)}`,
    );
  }
});
