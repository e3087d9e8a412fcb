import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Dataset } from 'h5wasm/node';
import { h5wasm, loadH5 } from '../../src/nwb/h5.js';
import { openDirect, openScalar, RawFile } from '../../src/nwb/reader/direct/index.js';
import { attrNumber, attrString } from '../../src/nwb/reader/h5-read.js';
import { tempDir } from './fixtures.js';

const python = [process.env.MPCTL_PYTHON, join(homedir(), '.cache/mpctl/pyenv/bin/python')].find(
  (p): p is string =>
    Boolean(p) && existsSync(p!) && spawnSync(p!, ['-c', 'import h5py'], { stdio: 'ignore' }).status === 0,
);
const script = join(process.cwd(), 'scripts/fixtures/make_hdf5_layouts_fixture.py');

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.constructor, b.constructor, `${what}: array type`);
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}: element ${i} ${a[i]} ≠ ${b[i]}`);
}

test('the direct chunk reader returns exactly what h5wasm returns, and leaves unusual layouts to it', async (t) => {
  if (!python) {
    t.skip('no Python with h5py (the project venv ~/.cache/mpctl/pyenv, or MPCTL_PYTHON)');
    return;
  }
  const dir = tempDir('layouts');
  const run = spawnSync(python, [script, dir], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const expected = JSON.parse(run.stdout) as Record<string, Record<string, boolean>>;
  const module = await loadH5();
  for (const [name, datasets] of Object.entries(expected)) {
    const path = join(dir, `${name}.h5`);
    const file = new h5wasm.File(path, 'r');
    const raw = RawFile.open(path);
    assert.ok(raw, `${name}: superblock understood`);
    try {
      const st = openScalar(module, file, raw, '/starting_time');
      assert.ok(st, `${name}: a scalar dataset read from its header`);
      assert.equal(st.value, Number((file.get('starting_time') as Dataset).value));
      assert.equal(st.attrs?.number('rate'), 20000);
      assert.equal(st.attrs?.string('unit'), 'seconds');
      for (const [ds, direct] of Object.entries(datasets)) {
        const data = file.get(ds) as Dataset;
        const reader = openDirect(module, file, raw, `/${ds}`);
        assert.equal(reader !== null, direct, `${name}/${ds}: read directly`);
        if (!reader) continue;
        // Header attributes: each numeric one as h5wasm reads it, the rest (strings, pairs) left to it.
        for (const attr of Object.keys(data.attrs)) {
          const v: number | null | undefined = reader.attrs?.number(attr);
          if (reader.attrs && v !== null) assert.equal(v, attrNumber(module, data, attr), `${name}/${ds}.${attr}`);
        }
        if (ds === 'gzip') {
          assert.ok(reader.attrs, `${name}/${ds}: compact attributes`);
          assert.equal(reader.attrs.number('unit'), null, 'not a number');
          assert.equal(reader.attrs.string('unit'), attrString(module, data, 'unit'), 'a variable-length string');
          assert.equal(reader.attrs.string('unit'), 'volts');
          assert.equal(reader.attrs.string('conversion'), null, 'not a string');
          assert.equal(reader.attrs.number('pair'), null, 'so is a two-element one');
          assert.equal(reader.attrs.number('absent'), undefined);
          assert.equal(reader.attrs.number('sweep_number'), 7);
        }
        if (ds === 'chunked_plain' && name === 'latest') assert.equal(reader.attrs, null, 'dense attributes');
        const { shape, type, size, littleEndian } = data.metadata;
        assert.deepEqual(reader.meta, { shape, type, size, littleEndian }, `${name}/${ds}: shape and type`);
        const n = data.shape![0]!;
        // Whole, across chunk boundaries, one sample, the tail.
        for (const [from, to] of [
          [0, n],
          [3, 4099],
          [16383, 16385],
          [n - 7, n],
          [5, 6],
        ] as const) {
          if (to > n) continue;
          const expected = data.slice([[from, to]]) as Float32Array;
          sameValues(reader.read(from, to), expected, `${name}/${ds}[${from}:${to}]`);
          sameValues(reader.readWide(from, to), new Float64Array(expected), `${name}/${ds}[${from}:${to}] widened`);
        }
      }
    } finally {
      raw.close();
      file.close();
    }
  }
});
