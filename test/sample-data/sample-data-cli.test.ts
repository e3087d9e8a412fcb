import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { mpctl } from '../helpers/cli.js';
import { tempDir } from '../nwb/fixtures.js';

test('sample-data --rise-shapes/--test-pulse-gap/--membrane-tau write those shapes into the truth', async () => {
  const cwd = tempDir('sample-shapes');
  const out = path.join(cwd, 'data');
  const args = [
    'sample-data',
    '--out',
    out,
    '--slices',
    '1',
    '--sites-per-slice',
    '1',
    '--cells',
    '3',
    '--sweeps',
    '1',
  ];
  const run = await mpctl(cwd, [
    ...args,
    '--rise-shapes',
    'sharp',
    '--test-pulse-gap',
    '10',
    '--membrane-tau',
    '20-40',
    '--seed',
    '4',
    '--json',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const truth = (name: string) => JSON.parse(fs.readFileSync(path.join(out, 'truth', name), 'utf8'));
  assert.deepEqual(truth('experiments.json').shapes, {
    riseShapes: 'sharp',
    testPulseStartMs: 250,
    testPulseEndMs: 290,
    trainStartMs: 300,
    membraneTauMs: [20, 40],
  });
  for (const p of truth('pairs.json')) assert.equal(p.rise_shape, p.connected ? 'sharp' : null);
  for (const c of truth('cells.json')) assert.ok(c.membrane_tau_ms >= 20 && c.membrane_tau_ms <= 40);

  for (const bad of [
    ['--membrane-tau', '40-20'],
    ['--test-pulse-gap', '1'],
    ['--rise-shapes', 'round'],
  ]) {
    const r = await mpctl(cwd, [...args, '--out', path.join(cwd, 'bad'), ...bad]);
    assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
  }
});
