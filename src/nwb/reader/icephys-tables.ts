import { Reference, type Dataset, type Group } from 'h5wasm/node';
import { NwbFormatError } from '../errors.js';
import { objectAttrs } from './object-attrs.js';
import type { SeriesContext } from './series.js';

export interface SeriesRef {
  idxStart: number;
  count: number;
  path: string;
}

export interface TableRow {
  electrodePath: string;
  stimulus: SeriesRef;
  response: SeriesRef;
}

export const IR_PATH = '/general/intracellular_ephys/intracellular_recordings';
const SIM_PATH = '/general/intracellular_ephys/simultaneous_recordings';

export function hasIcephysTables(ctx: SeriesContext): boolean {
  return ctx.module.get_type(ctx.file.file_id, `${IR_PATH}/responses/response`) === ctx.module.H5G_DATASET;
}

/** Rows of intracellular_recordings: electrode, stimulus and response references. */
export function readRecordingRows(ctx: SeriesContext): TableRow[] {
  const electrodes = readObjectRefs(ctx, `${IR_PATH}/electrodes/electrode`);
  const responses = readTimeSeriesRefs(ctx, `${IR_PATH}/responses/response`);
  const stimuli =
    ctx.module.get_type(ctx.file.file_id, `${IR_PATH}/stimuli/stimulus`) === ctx.module.H5G_DATASET
      ? readTimeSeriesRefs(ctx, `${IR_PATH}/stimuli/stimulus`)
      : responses.map((r) => ({ ...r, idxStart: -1, count: -1 }));
  if (electrodes.length !== responses.length || stimuli.length !== responses.length) {
    throw new NwbFormatError(
      ctx.filePath,
      `${IR_PATH}: columns have different lengths (${electrodes.length}, ${stimuli.length}, ${responses.length})`,
    );
  }
  return responses.map((response, i) => ({ electrodePath: electrodes[i]!, stimulus: stimuli[i]!, response }));
}

/** Sweeps as lists of intracellular_recordings rows, from simultaneous_recordings (ragged region). */
export function readSimultaneousRows(ctx: SeriesContext): number[][] | undefined {
  const { module, file, filePath } = ctx;
  if (module.get_type(file.file_id, `${SIM_PATH}/recordings`) !== module.H5G_DATASET) return undefined;
  const values = Array.from(toNumbers((file.get(`${SIM_PATH}/recordings`) as Dataset).value));
  const indexPath = `${SIM_PATH}/recordings_index`;
  if (module.get_type(file.file_id, indexPath) !== module.H5G_DATASET)
    throw new NwbFormatError(filePath, `${SIM_PATH}: recordings has no recordings_index`);
  const ends = Array.from(toNumbers((file.get(indexPath) as Dataset).value));
  const out: number[][] = [];
  let start = 0;
  for (const end of ends) {
    if (end < start || end > values.length)
      throw new NwbFormatError(filePath, `${indexPath}: offset ${end} out of range`);
    out.push(values.slice(start, end));
    start = end;
  }
  return out;
}

function toNumbers(v: unknown): ArrayLike<number> {
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Array.from(v, Number);
  if (ArrayBuffer.isView(v)) return v as unknown as ArrayLike<number>;
  if (Array.isArray(v)) return v.map(Number);
  return [Number(v)];
}

function readObjectRefs(ctx: SeriesContext, path: string): string[] {
  const refs = (ctx.file.get(path) as Dataset).value;
  if (!Array.isArray(refs)) throw new NwbFormatError(ctx.filePath, `${path}: expected object references`);
  return refs.map((r, i) => derefPath(ctx, r as Reference, `${path}[${i}]`));
}

/**
 * h5wasm's dereference resolves a name by searching the file (~8 ms each), so map the
 * references of the objects tables can point at (series, electrodes) once, up front.
 */
function refIndex(ctx: SeriesContext): Map<string, string> {
  if (ctx.refs) return ctx.refs;
  const map = new Map<string, string>();
  for (const base of ['/acquisition', '/stimulus/presentation', '/general/intracellular_ephys']) {
    const group = ctx.file.get(base);
    if (!group || typeof (group as Group).keys !== 'function') continue;
    for (const name of (group as Group).keys()) {
      // Straight to the reference (no type probe per object); a dangling link just has none.
      const path = `${base}/${name}`;
      let ref: ArrayLike<number>;
      try {
        ref = ctx.module.create_object_reference(ctx.file.file_id, path) as ArrayLike<number>;
      } catch {
        continue;
      }
      map.set(refKey(ref), path);
    }
  }
  ctx.refs = map;
  return map;
}

function refKey(bytes: ArrayLike<number>): string {
  return Array.from(bytes).join(',');
}

function derefPath(ctx: SeriesContext, ref: Reference, where: string): string {
  const known = refIndex(ctx).get(refKey(ref.ref_data));
  if (known) return known;
  const target = ctx.file.dereference(ref) as unknown as Group | Dataset | null;
  if (!target || typeof (target as Group).path !== 'string')
    throw new NwbFormatError(ctx.filePath, `${where}: dangling object reference`);
  return (target as Group).path;
}

/**
 * TimeSeriesReferenceVectorData is a compound (idx_start, count, objref). h5wasm 0.10.3 drops
 * the reference member when it decodes compounds, so read the raw rows into the wasm heap
 * and decode them here (workaround documented in reference/nwb-icephys.md §1).
 */
function readTimeSeriesRefs(ctx: SeriesContext, path: string): SeriesRef[] {
  const { module, file, filePath } = ctx;
  const ds = file.get(path) as Dataset;
  const meta = ds.metadata;
  const members = meta.compound_type?.members ?? [];
  const member = (name: string) => members.find((m) => m.name === name);
  const idx = member('idx_start');
  const cnt = member('count');
  const ts = member('timeseries');
  if (!idx || !cnt || !ts || ts.size !== 8)
    throw new NwbFormatError(filePath, `${path}: not a TimeSeriesReferenceVectorData compound`);
  const n = (ds.shape ?? [0])[0] ?? 0;
  const size = meta.size;
  const ptr = module._malloc(Math.max(1, size * n));
  let bytes: Uint8Array;
  try {
    module.get_dataset_data(file.file_id, path, null, null, null, BigInt(ptr));
    bytes = module.HEAPU8.slice(ptr, ptr + size * n);
  } finally {
    module._free(ptr);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const readInt = (at: number, m: typeof idx): number =>
    m.size === 8 ? Number(view.getBigInt64(at, true)) : view.getInt32(at, true);
  const rows: SeriesRef[] = [];
  for (let i = 0; i < n; i++) {
    const base = i * size;
    const ref = new Reference(bytes.slice(base + ts.offset, base + ts.offset + 8));
    rows.push({
      idxStart: readInt(base + idx.offset, idx),
      count: readInt(base + cnt.offset, cnt),
      path: derefPath(ctx, ref, `${path}[${i}]`),
    });
  }
  return rows;
}

/** Sweep number of a series: its attribute, else undefined (the caller falls back to the table row). */
export function sweepNumberOf(ctx: SeriesContext, path: string): number | undefined {
  return objectAttrs(ctx, path).number('sweep_number');
}
