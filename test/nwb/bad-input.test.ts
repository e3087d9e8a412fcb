import assert from 'node:assert/strict';
import { closeSync, copyFileSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { Dataset, Group } from 'h5wasm/node';
import { NwbFormatError } from '../../src/nwb/errors.js';
import { h5wasm, loadH5 } from '../../src/nwb/h5.js';
import { chunkEntries } from '../../src/nwb/reader/direct/btree.js';
import { storageOf } from '../../src/nwb/reader/direct/layout.js';
import { headerMessages } from '../../src/nwb/reader/direct/object-header.js';
import { RawFile } from '../../src/nwb/reader/direct/raw-file.js';
import { openNwb } from '../../src/nwb/reader/index.js';
import { writeIcephysNwb, writeMiesNwb } from '../../src/nwb/writer/index.js';
import { appendSeries, editFile, smallInput, tempDir } from './fixtures.js';

const dir = tempDir('badinput');
const good = join(dir, 'good-mies.nwb');
const goodTables = join(dir, 'good-icephys.nwb');

before(async () => {
  await writeMiesNwb(smallInput(8), good, { seed: 8, compressionLevel: 1 });
  await writeIcephysNwb(smallInput(8), goodTables, { seed: 8, compressionLevel: 1 });
});

function variant(name: string, from = good): string {
  const path = join(dir, name);
  copyFileSync(from, path);
  return path;
}

/** Opens and reads every sample, as the dataset module does; bad input must surface as NwbFormatError. */
async function readAll(path: string, options = {}): Promise<void> {
  const f = await openNwb(path, options);
  try {
    for (const s of f.sweeps)
      for (const c of s.channels) {
        c.response.read();
        c.command?.read();
      }
  } finally {
    f.close();
  }
}

async function assertBad(path: string, pattern: RegExp, options = {}): Promise<void> {
  await assert.rejects(readAll(path, options), (e: unknown) => {
    assert.ok(e instanceof NwbFormatError, `expected NwbFormatError, got ${String(e)}`);
    assert.equal(e.file, path);
    assert.match(e.problem, pattern);
    assert.ok(e.message.includes(path));
    return true;
  });
}

test('a missing file', async () => assertBad(join(dir, 'nope.nwb'), /cannot open file/));

test('a file that is not HDF5', async () => {
  const path = join(dir, 'text.nwb');
  writeFileSync(path, 'this is not an HDF5 file\n'.repeat(100));
  await assertBad(path, /not an HDF5 file/);
});

test('a truncated file', async () => {
  const path = variant('truncated.nwb');
  truncateSync(path, Math.floor(statSync(path).size / 2));
  await assertBad(path, /truncated|cannot (open|read)/);
});

test('an HDF5 file that is not NWB', async () => {
  await loadH5();
  const path = join(dir, 'plain.h5');
  const f = new h5wasm.File(path, 'w');
  f.create_group('data').create_dataset({ name: 'x', data: new Float32Array(10) });
  f.close();
  await assertBad(path, /not NWB/);
});

test('an NWB 1.x file is named as such', async () => {
  await loadH5();
  const path = join(dir, 'v1.nwb');
  const f = new h5wasm.File(path, 'w');
  f.create_dataset({ name: 'nwb_version', data: 'NWB-1.0.5' });
  f.create_group('acquisition').create_group('timeseries');
  f.close();
  await assertBad(path, /NWB 1\.x file \(nwb_version NWB-1\.0\.5\) is not supported/);
});

test('a stimulus without a response (MIES layout)', async () => {
  const path = variant('orphan-stimulus.nwb');
  await appendSeries(path, { sweep: 90, electrode: 'electrode_1', stimulus: { values: new Float32Array(100) } });
  await assertBad(path, /has no response/);
});

test('a stimulus without a response (icephys tables: response idx_start = count = -1)', async () => {
  const path = variant('orphan-row.nwb', goodTables);
  await editFile(path, (f) => {
    const ds = f.get('/general/intracellular_ephys/intracellular_recordings/responses/response') as Dataset;
    // Row 0 keeps its reference but gets the "no response" marker pynwb writes.
    const ref = (f.get('/acquisition/response_000_electrode_0') as Group).create_reference();
    ds.write_slice(
      [[0, 1]],
      new Map<string, unknown>([
        ['idx_start', new Int32Array([-1])],
        ['count', new Int32Array([-1])],
        ['timeseries', [ref]],
      ]),
    );
  });
  await assertBad(path, /has no response/);
});

test('unknown units', async () => {
  const path = variant('units.nwb');
  await editFile(path, (f) => {
    const d = f.get('/acquisition/data_00001_AD1/data') as Dataset;
    d.delete_attribute('unit');
    d.create_attribute('unit', 'furlongs');
  });
  await assertBad(path, /unknown unit "furlongs"/);
});

test('a pipette channel with no series (declared electrode, and an expected one)', async () => {
  const path = variant('no-series.nwb');
  await editFile(path, (f) => {
    const g = (f.get('/general/intracellular_ephys') as Group).create_group('electrode_7');
    g.create_attribute('neurodata_type', 'IntracellularElectrode');
  });
  await assertBad(path, /electrode_7 has no series/);
  await assertBad(good, /electrode_5 has no series/, { expectedElectrodes: ['electrode_0', 'electrode_5'] });
});

test('absurd dimensions', async () => {
  const path = variant('dims.nwb');
  await appendSeries(path, {
    sweep: 91,
    electrode: 'electrode_0',
    response: { values: new Float32Array(300), shape: [100, 3] },
    stimulus: { values: new Float32Array(100) },
  });
  await assertBad(path, /absurd data dimensions \[100, 3\]/);
});

test('NaN-only data', async () => {
  const path = variant('nan.nwb');
  await appendSeries(path, {
    sweep: 92,
    electrode: 'electrode_0',
    response: { values: new Float32Array(100).fill(Number.NaN) },
    stimulus: { values: new Float32Array(100) },
  });
  await assertBad(path, /all NaN/);
});

test('stimulus and response at different sample rates', async () => {
  const path = variant('rates.nwb');
  await appendSeries(path, {
    sweep: 93,
    electrode: 'electrode_0',
    response: { values: new Float32Array(100), rate: 20000 },
    stimulus: { values: new Float32Array(100), rate: 10000 },
  });
  await assertBad(path, /sample rate 10000 Hz differs/);
});

test('an aborted sweep (trailing NaN) is trimmed, not rejected', async () => {
  const path = variant('aborted.nwb');
  const values = new Float32Array(1000).fill(-0.065);
  values.fill(Number.NaN, 600);
  await appendSeries(path, {
    sweep: 94,
    electrode: 'electrode_0',
    response: { values },
    stimulus: { values: new Float32Array(1000) },
  });
  const f = await openNwb(path);
  try {
    const ch = f.sweeps.find((s) => s.sweepNumber === 94)!.channels[0]!;
    assert.equal(ch.length, 600);
    assert.equal(ch.response.read().length, 600);
    assert.equal(ch.response.read(590, 600)[9], Math.fround(-0.065));
  } finally {
    f.close();
  }
});

test('a corrupt compressed chunk: the direct reader hands it to h5wasm, which names the file and the series', async () => {
  const path = variant('corrupt-chunk.nwb', goodTables);
  const module = await loadH5();
  const f = new h5wasm.File(path, 'r');
  const series = `/acquisition/${(f.get('/acquisition') as Group).keys()[0]!}/data`;
  const address = Number(Buffer.from(Array.from(module.create_object_reference(f.file_id, series))).readBigUInt64LE(0));
  f.close();
  const raw = RawFile.open(path)!;
  const storage = storageOf(headerMessages(raw, address));
  assert.equal(storage.kind, 'chunked');
  const chunk = chunkEntries(raw, (storage as { btree: number }).btree, 2)[0]!;
  raw.close();
  // Garbage in the middle of the deflate stream: neither Node's zlib nor libhdf5's can inflate it.
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, chunk.address + Math.floor(chunk.size / 2));
  closeSync(fd);
  await assertBad(path, new RegExp(`${series}: cannot read samples`));
});
