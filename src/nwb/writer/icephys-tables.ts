import type { Dataset, File, Group, Reference } from 'h5wasm/node';
import type { Prng } from '../../util/prng.js';
import { typed } from './h5-write.js';

export interface RecordingRow {
  electrodePath: string;
  stimulusPath: string;
  responsePath: string;
  /** Samples in each series (the TimeSeriesReference covers the whole series). */
  stimulusCount: number;
  responseCount: number;
}

/**
 * The NWB ≥ 2.4 icephys tables as pynwb writes them: `intracellular_recordings` (an
 * AlignedDynamicTable with electrodes / stimuli / responses categories, the latter two
 * compound TimeSeriesReferenceVectorData) and `simultaneous_recordings` (one row per sweep,
 * a ragged DynamicTableRegion into it).
 */
export function writeIcephysTables(f: File, rows: RecordingRow[], sweepRows: number[][], ids: Prng): void {
  const icephys = f.get('/general/intracellular_ephys') as Group;
  const ir = icephys.create_group('intracellular_recordings');
  typed(ir, 'IntracellularRecordingsTable', 'core', ids);
  ir.create_attribute('categories', ['electrodes', 'stimuli', 'responses']);
  // pynwb writes an empty `colnames` here; h5wasm cannot write an empty vlen-string array, and readers do not need it.
  ir.create_attribute(
    'description',
    'A table to group together a stimulus and response from a single electrode and a single simultaneous recording and for storing metadata about the intracellular recording.',
  );
  writeIds(ir, rows.length, ids);
  const ref = (path: string): Reference => (f.get(path) as Group).create_reference();

  const electrodes = category(
    ir,
    'electrodes',
    'IntracellularElectrodesTable',
    'electrode',
    'Table for storing intracellular electrode related metadata.',
    rows.length,
    ids,
  );
  const electrodeCol = electrodes.create_dataset({ name: 'electrode', data: rows.map((r) => ref(r.electrodePath)) });
  vectorData(electrodeCol, 'Column for storing the reference to the intracellular electrode.', ids);

  const stimuli = category(
    ir,
    'stimuli',
    'IntracellularStimuliTable',
    'stimulus',
    'Table for storing intracellular stimulus related metadata.',
    rows.length,
    ids,
  );
  const stimCol = stimuli.create_dataset({
    name: 'stimulus',
    data: seriesRefs(rows.map((r) => [ref(r.stimulusPath), r.stimulusCount])),
  });
  stimCol.create_attribute(
    'description',
    'Column storing the reference to the recorded stimulus for the recording (rows).',
  );
  typed(stimCol, 'TimeSeriesReferenceVectorData', 'core', ids);

  const responses = category(
    ir,
    'responses',
    'IntracellularResponsesTable',
    'response',
    'Table for storing intracellular response related metadata.',
    rows.length,
    ids,
  );
  const respCol = responses.create_dataset({
    name: 'response',
    data: seriesRefs(rows.map((r) => [ref(r.responsePath), r.responseCount])),
  });
  respCol.create_attribute(
    'description',
    'Column storing the reference to the recorded response for the recording (rows)',
  );
  typed(respCol, 'TimeSeriesReferenceVectorData', 'core', ids);

  const sim = icephys.create_group('simultaneous_recordings');
  typed(sim, 'SimultaneousRecordingsTable', 'core', ids);
  sim.create_attribute('colnames', ['recordings']);
  sim.create_attribute(
    'description',
    'A table for grouping different intracellular recordings from the IntracellularRecordingsTable table together that were recorded simultaneously from different electrodes',
  );
  writeIds(sim, sweepRows.length, ids);
  const flat = new BigInt64Array(sweepRows.flat().map(BigInt));
  const recordings = sim.create_dataset({ name: 'recordings', data: flat });
  recordings.create_attribute(
    'description',
    'A reference to one or more rows in the IntracellularRecordingsTable table.',
  );
  recordings.create_attribute('table', ir.create_reference(), [], 'Reference');
  typed(recordings, 'DynamicTableRegion', 'hdmf-common', ids);
  let end = 0;
  // hdmf picks the smallest unsigned type that holds the offsets.
  const offsets = sweepRows.map((r) => (end += r.length));
  const index = sim.create_dataset({
    name: 'recordings_index',
    data: end < 256 ? new Uint8Array(offsets) : end < 65536 ? new Uint16Array(offsets) : new Uint32Array(offsets),
  });
  index.create_attribute('description', "Index for VectorData 'recordings'");
  index.create_attribute('target', recordings.create_reference(), [], 'Reference');
  typed(index, 'VectorIndex', 'hdmf-common', ids);
}

function category(
  parent: Group,
  name: string,
  type: string,
  column: string,
  description: string,
  n: number,
  ids: Prng,
): Group {
  const g = parent.create_group(name);
  typed(g, type, 'core', ids);
  g.create_attribute('colnames', [column]);
  g.create_attribute('description', description);
  writeIds(g, n, ids);
  return g;
}

function writeIds(g: Group, n: number, ids: Prng): void {
  const id = g.create_dataset({ name: 'id', data: new BigInt64Array(Array.from({ length: n }, (_, i) => BigInt(i))) });
  typed(id, 'ElementIdentifiers', 'hdmf-common', ids);
}

function vectorData(ds: Dataset, description: string, ids: Prng): void {
  ds.create_attribute('description', description);
  typed(ds, 'VectorData', 'hdmf-common', ids);
}

/** Compound (idx_start int32, count int32, timeseries objref): each row covers its whole series. */
function seriesRefs(items: [Reference, number][]): Map<string, Int32Array | Reference[]> {
  return new Map<string, Int32Array | Reference[]>([
    ['idx_start', new Int32Array(items.length)],
    ['count', Int32Array.from(items.map(([, c]) => c))],
    ['timeseries', items.map(([r]) => r)],
  ]);
}
