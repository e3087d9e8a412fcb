import { Dataset, Group, type File } from 'h5wasm/node';
import { NwbFormatError } from '../errors.js';
import type { H5Module } from '../h5.js';
import { attrNumber, attrString, hdf5Reason, tidyFloat32 } from './h5-read.js';
import { openDirect, openScalar, type HeaderAttributes, type RawFile } from './direct/index.js';
import type { ObjectAttrs } from './object-attrs.js';
import type { ClampMode, NwbSeries } from './types.js';

/** Response types and the unit their data must carry. */
export const RESPONSE_TYPES: Record<string, { unit: 'volts' | 'amperes'; mode: ClampMode }> = {
  CurrentClampSeries: { unit: 'volts', mode: 'ic' },
  IZeroClampSeries: { unit: 'volts', mode: 'i0' },
  VoltageClampSeries: { unit: 'amperes', mode: 'vc' },
};
export const STIMULUS_TYPES: Record<string, { unit: 'volts' | 'amperes' }> = {
  CurrentClampStimulusSeries: { unit: 'amperes' },
  VoltageClampStimulusSeries: { unit: 'volts' },
};

/**
 * Beyond this a series is not a sweep (2^24 samples: 14 min at 20 kHz). Reading one costs 12 bytes
 * a sample (float32 in the wasm heap, float64 in JS), so this bound is what keeps a file that
 * claims absurd dimensions from taking the worker's memory: 200 MB at most per series.
 */
export const MAX_SAMPLES = 2 ** 24;
const TAIL_BLOCK = 4096;

export interface SeriesContext {
  module: H5Module;
  file: File;
  filePath: string;
  /** Object-reference bytes (hex) → path, built on first use. */
  refs?: Map<string, string>;
  /** The file's bytes for the direct chunk reader; absent when its superblock is one the fast path leaves to h5wasm. */
  raw?: RawFile;
  /** Objects already looked at (object-attrs.ts). */
  objects?: Map<string, ObjectAttrs>;
}

/**
 * Metadata of one series plus a lazy reader; validates units, shape and rate; trims trailing NaN.
 * Every h5wasm call re-walks the path inside libhdf5, so opening a file with thousands of series
 * is dominated by call count: each object is looked up once (`get` already types it) and a
 * caller that has read the group's neurodata_type passes it in.
 */
export function openSeries(
  ctx: SeriesContext,
  path: string,
  expectedUnit: 'volts' | 'amperes',
  idxStart = 0,
  count = -1,
  knownType?: string,
): NwbSeries {
  const { module, file, filePath } = ctx;
  const fail = (problem: string): never => {
    throw new NwbFormatError(filePath, `${path}: ${problem}`);
  };
  let neurodataType = knownType;
  if (neurodataType === undefined) {
    const group = file.get(path);
    if (!(group instanceof Group)) return fail('series group is missing');
    neurodataType = attrString(module, group, 'neurodata_type') ?? 'TimeSeries';
  }
  const dataPath = `${path}/data`;
  // Chunk bytes inflated by Node's zlib when the layout is a plain one (its header parsed here, no
  // libhdf5 metadata call), else, and on any doubt, h5wasm.
  let direct = ctx.raw ? openDirect(module, file, ctx.raw, dataPath) : null;
  const data = direct ? new Dataset(file.file_id, dataPath) : openDataset(file, dataPath);
  if (!data) return fail('series has no data dataset');
  const meta = direct ? { ...direct.meta, vlen: false } : data.metadata;
  const shape = meta.shape ?? [];
  if (shape.length < 1 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1))
    fail(`absurd data dimensions [${shape.join(', ')}], expected a 1-D series`);
  const stored = shape[0]!;
  if (stored < 1) fail('data is empty');
  if (stored > MAX_SAMPLES) fail(`absurd data length ${stored} (a series holds at most ${MAX_SAMPLES} samples)`);
  // 0 = integer, 1 = float (H5T_class_t); anything else (strings, compounds) is not a signal.
  if ((meta.type !== 0 && meta.type !== 1) || meta.vlen) fail('data type is not numeric');

  const rawUnit = stringAttr(module, data, direct?.attrs ?? null, 'unit');
  const unit = normaliseUnit(rawUnit);
  if (!unit) fail(`unknown unit ${JSON.stringify(rawUnit ?? null)} (expected volts or amperes)`);
  if (unit !== expectedUnit) fail(`unit ${rawUnit} does not fit ${neurodataType} (expected ${expectedUnit})`);
  const conversion = tidyFloat32(numberAttr(module, data, direct?.attrs ?? null, 'conversion') ?? 1);
  const offset = tidyFloat32(numberAttr(module, data, direct?.attrs ?? null, 'offset') ?? 0);
  if (!Number.isFinite(conversion) || conversion === 0 || !Number.isFinite(offset))
    fail(`bad conversion ${conversion} / offset ${offset}`);

  const { rate, startTime } = timing(ctx, path, stored, fail);
  const begin = Math.max(0, idxStart);
  const end = count >= 0 ? begin + count : stored;
  if (end > stored) fail(`table row asks for samples ${begin}..${end} of ${stored}`);
  // Trailing-NaN trimming is lazy: a full read trims in memory, so the tail is decompressed once.
  let usable: number | undefined;
  const slice = (from: number, to: number): ArrayLike<number> => {
    if (direct) {
      try {
        return direct.read(from, to);
      } catch {
        direct = null;
      }
    }
    try {
      return data.slice([[from, to]]) as ArrayLike<number>;
    } catch (e) {
      throw new NwbFormatError(filePath, `${dataPath}: cannot read samples ${from}..${to} (${hdf5Reason(e)})`);
    }
  };
  const identity = conversion === 1 && offset === 0;
  // Samples for read(): widened by the direct reader itself when no scaling follows (one copy fewer).
  const samples = (from: number, to: number): ArrayLike<number> => {
    if (direct && identity) {
      try {
        return direct.readWide(from, to);
      } catch {
        direct = null;
      }
    }
    return slice(from, to);
  };
  const convert = (raw: ArrayLike<number>, n: number, from: number): Float64Array => {
    // The common case (pynwb, MIES write conversion 1, offset 0): one native widening copy, or none.
    const out =
      identity && raw instanceof Float64Array
        ? raw.subarray(0, n)
        : identity && ArrayBuffer.isView(raw)
          ? new Float64Array((raw as unknown as Float32Array).subarray(0, n))
          : scale(raw, n);
    const nan = firstNaN(out);
    // Only an aborted sweep's trailing NaN is trimmed; a gap inside the data would poison every measure.
    if (nan >= 0)
      fail(
        `sample ${from + nan} of ${stored} is NaN inside the recorded data (only a trailing run of NaN, an aborted sweep, is accepted)`,
      );
    return out;
  };
  const scale = (raw: ArrayLike<number>, n: number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = raw[i]! * conversion + offset;
    return out;
  };

  return {
    path,
    neurodataType,
    unit: unit!,
    conversion,
    offset,
    rate,
    startTime: startTime + begin / rate,
    get length(): number {
      usable ??= trimTrailingNaN(slice, begin, end, fail) - begin;
      return usable;
    },
    read(start = 0, stop?: number): Float64Array {
      if (usable === undefined && start === 0 && stop === undefined) {
        const raw = samples(begin, end);
        let n = raw.length;
        while (n > 0 && Number.isNaN(raw[n - 1]!)) n--;
        if (n === 0) fail('data is all NaN');
        usable = n;
        return convert(raw, n, begin);
      }
      const length = this.length;
      const to = stop ?? length;
      if (start < 0 || to > length || start > to)
        throw new RangeError(`read ${start}..${to} outside 0..${length} of ${path}`);
      const raw = samples(begin + start, begin + to);
      return convert(raw, to - start, begin + start);
    },
  };
}

/**
 * A dataset with its metadata loaded, or undefined when the path is not a dataset. One libhdf5
 * call instead of `file.get`'s type probe followed by the metadata read.
 */
function openDataset(file: File, path: string): Dataset | undefined {
  const ds = new Dataset(file.file_id, path);
  try {
    void ds.metadata;
    return ds;
  } catch {
    return undefined;
  }
}

/** A numeric attribute from the header when it holds it, else (dense storage, strings, odd types) from h5wasm. */
function numberAttr(module: H5Module, obj: Dataset, attrs: HeaderAttributes | null, name: string): number | undefined {
  const v = attrs ? attrs.number(name) : null;
  return v === null ? attrNumber(module, obj, name) : v;
}

function stringAttr(module: H5Module, obj: Dataset, attrs: HeaderAttributes | null, name: string): string | undefined {
  const v = attrs ? attrs.string(name) : null;
  return v === null ? attrString(module, obj, name) : v;
}

function normaliseUnit(unit: string | undefined): 'volts' | 'amperes' | undefined {
  const u = unit?.trim().toLowerCase();
  if (u === 'volts' || u === 'volt' || u === 'v') return 'volts';
  if (u === 'amperes' || u === 'ampere' || u === 'amps' || u === 'a') return 'amperes';
  return undefined;
}

function timing(
  ctx: SeriesContext,
  path: string,
  stored: number,
  fail: (p: string) => never,
): { rate: number; startTime: number } {
  const { module, file } = ctx;
  const stPath = `${path}/starting_time`;
  // From its header when plainly stored (no libhdf5 calls), else through h5wasm.
  const plain = ctx.raw ? openScalar(module, file, ctx.raw, stPath) : null;
  const st = plain ? new Dataset(file.file_id, stPath) : openDataset(file, stPath);
  if (st) {
    const rate = tidyFloat32(numberAttr(module, st, plain?.attrs ?? null, 'rate') ?? Number.NaN);
    const startTime = plain ? plain.value : Number(st.value);
    if (!(rate > 0 && rate <= 1e7) || !Number.isFinite(startTime))
      fail(`absurd starting_time ${startTime} / rate ${rate}`);
    return { rate, startTime };
  }
  const ts = file.get(`${path}/timestamps`);
  if (ts instanceof Dataset) {
    if ((ts.shape ?? [0])[0] !== stored || stored < 2) fail('timestamps do not match data length');
    const first = Number((ts.slice([[0, 1]]) as ArrayLike<number>)[0]);
    const last = Number((ts.slice([[stored - 1, stored]]) as ArrayLike<number>)[0]);
    const rate = (stored - 1) / (last - first);
    if (!(rate > 0 && rate <= 1e7)) fail(`absurd timestamps ${first}..${last}`);
    return { rate, startTime: first };
  }
  return fail('series has neither starting_time nor timestamps');
}

function firstNaN(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) return i;
  return -1;
}

/** An aborted sweep ends in NaN; scan back block by block (never the whole series) to the last real sample. */
function trimTrailingNaN(
  slice: (from: number, to: number) => ArrayLike<number>,
  begin: number,
  end: number,
  fail: (p: string) => never,
): number {
  let stop = end;
  while (stop > begin) {
    const from = Math.max(begin, stop - TAIL_BLOCK);
    const block = slice(from, stop);
    for (let i = block.length - 1; i >= 0; i--) if (!Number.isNaN(block[i]!)) return from + i + 1;
    stop = from;
  }
  return fail('data is all NaN');
}
