import type { File } from 'h5wasm/node';
import { NwbFormatError } from '../errors.js';
import { h5wasm, loadH5 } from '../h5.js';
import { assertHdf5Signature, attrString, hdf5Reason } from './h5-read.js';
import {
  hasIcephysTables,
  readRecordingRows,
  readSimultaneousRows,
  sweepNumberOf,
  type TableRow,
} from './icephys-tables.js';
import { RawFile } from './direct/index.js';
import { objectAttrs } from './object-attrs.js';
import { listElectrodes, rootString } from './root.js';
import { openSeries, RESPONSE_TYPES, STIMULUS_TYPES, type SeriesContext } from './series.js';
import { scanSeries } from './series-scan.js';
import type { NwbChannel, NwbFile, NwbSweep, OpenNwbOptions } from './types.js';

/**
 * Opens an NWB 2.x intracellular file and indexes its sweeps and channels. Only metadata
 * and series tails are read here; sample data is read on demand through `series.read`.
 * Bad input throws NwbFormatError naming the file and the problem.
 */
export async function openNwb(path: string, options: OpenNwbOptions = {}): Promise<NwbFile> {
  const module = await loadH5();
  assertHdf5Signature(path);
  let file: File;
  try {
    file = new h5wasm.File(path, 'r');
  } catch (e) {
    throw new NwbFormatError(path, `cannot open HDF5 file (truncated or corrupt?): ${hdf5Reason(e)}`);
  }
  const raw = RawFile.open(path);
  try {
    return index({ module, file, filePath: path, raw }, options);
  } catch (e) {
    file.close();
    raw?.close();
    if (e instanceof NwbFormatError) throw e;
    throw new NwbFormatError(path, `cannot read file structure (truncated or corrupt?): ${hdf5Reason(e)}`);
  }
}

function index(ctx: SeriesContext, options: OpenNwbOptions): NwbFile {
  const { module, file, filePath } = ctx;
  const nwbVersion = attrString(module, file, 'nwb_version');
  const rootType = attrString(module, file, 'neurodata_type');
  if (!nwbVersion && module.get_type(file.file_id, '/nwb_version') === module.H5G_DATASET) {
    // NWB 1.x (older MIES files) keeps the version in a root dataset and a different layout.
    throw new NwbFormatError(
      filePath,
      `NWB 1.x file (nwb_version ${rootString(ctx, 'nwb_version')}) is not supported; need NWB 2.x`,
    );
  }
  if (!nwbVersion || rootType !== 'NWBFile')
    throw new NwbFormatError(filePath, 'HDF5 file is not NWB (no nwb_version / NWBFile root)');
  if (!/^2\./.test(nwbVersion))
    throw new NwbFormatError(filePath, `NWB version ${nwbVersion} is not supported (need 2.x)`);
  const electrodes = listElectrodes(ctx);
  const layout = hasIcephysTables(ctx) ? 'icephys-tables' : 'sweep-number';
  const sweeps = layout === 'icephys-tables' ? sweepsFromTables(ctx) : sweepsFromAttributes(ctx);
  checkElectrodes(
    ctx,
    electrodes.map((e) => e.name),
    sweeps,
    options,
  );
  return {
    path: filePath,
    nwbVersion,
    identifier: rootString(ctx, 'identifier'),
    sessionStartTime: rootString(ctx, 'session_start_time'),
    layout,
    electrodes,
    sweeps,
    close: () => {
      file.close();
      ctx.raw?.close();
    },
  };
}

function sweepsFromTables(ctx: SeriesContext): NwbSweep[] {
  const rows = readRecordingRows(ctx);
  const groups = readSimultaneousRows(ctx) ?? groupRowsBySweepNumber(ctx, rows);
  const sweeps: NwbSweep[] = groups.map((rowIds, i) => {
    const channels = rowIds.map((r) => {
      const row = rows[r];
      if (!row) throw new NwbFormatError(ctx.filePath, `simultaneous_recordings points at missing row ${r}`);
      return channelFromRow(ctx, row, r);
    });
    const first = rowIds.length > 0 ? sweepNumberOf(ctx, rows[rowIds[0]!]!.response.path) : undefined;
    return { sweepNumber: first ?? i, channels: sortChannels(channels) };
  });
  return sortSweeps(ctx, sweeps);
}

function groupRowsBySweepNumber(ctx: SeriesContext, rows: TableRow[]): number[][] {
  const bySweep = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const n = sweepNumberOf(ctx, row.response.path) ?? i;
    bySweep.set(n, [...(bySweep.get(n) ?? []), i]);
  });
  return [...bySweep.keys()].sort((a, b) => a - b).map((k) => bySweep.get(k)!);
}

function channelFromRow(ctx: SeriesContext, row: TableRow, r: number): NwbChannel {
  const where = `intracellular_recordings row ${r}`;
  if (row.response.count === -1 && row.response.idxStart === -1) {
    throw new NwbFormatError(ctx.filePath, `${where}: stimulus ${row.stimulus.path} has no response`);
  }
  const command = row.stimulus.count === -1 && row.stimulus.idxStart === -1 ? null : row.stimulus;
  return makeChannel(
    ctx,
    row.electrodePath,
    row.response.path,
    command?.path ?? null,
    row.response,
    command ?? undefined,
  );
}

function sweepsFromAttributes(ctx: SeriesContext): NwbSweep[] {
  const responses = scanSeries(ctx, '/acquisition', 'response');
  const stimuli = scanSeries(ctx, '/stimulus/presentation', 'stimulus');
  const key = (s: { sweepNumber: number; electrodePath: string }) => `${s.sweepNumber}\u0000${s.electrodePath}`;
  const stimByKey = new Map<string, string>();
  for (const s of stimuli) {
    if (stimByKey.has(key(s)))
      throw new NwbFormatError(
        ctx.filePath,
        `two stimuli for sweep ${s.sweepNumber} on ${s.electrodePath}: ${stimByKey.get(key(s))} and ${s.path}`,
      );
    stimByKey.set(key(s), s.path);
  }
  const bySweep = new Map<number, NwbChannel[]>();
  const seen = new Set<string>();
  for (const r of responses) {
    if (seen.has(key(r)))
      throw new NwbFormatError(
        ctx.filePath,
        `two responses for sweep ${r.sweepNumber} on ${r.electrodePath} (${r.path})`,
      );
    seen.add(key(r));
    const channel = makeChannel(ctx, r.electrodePath, r.path, stimByKey.get(key(r)) ?? null);
    bySweep.set(r.sweepNumber, [...(bySweep.get(r.sweepNumber) ?? []), channel]);
  }
  for (const s of stimuli) {
    if (!seen.has(key(s)))
      throw new NwbFormatError(
        ctx.filePath,
        `stimulus ${s.path} (sweep ${s.sweepNumber}, ${s.electrodePath}) has no response`,
      );
  }
  return sortSweeps(
    ctx,
    [...bySweep.entries()].map(([sweepNumber, channels]) => ({ sweepNumber, channels: sortChannels(channels) })),
  );
}

function makeChannel(
  ctx: SeriesContext,
  electrodePath: string,
  responsePath: string,
  stimulusPath: string | null,
  responseRange?: { idxStart: number; count: number },
  stimulusRange?: { idxStart: number; count: number },
): NwbChannel {
  const group = objectAttrs(ctx, responsePath);
  const type = group.exists ? group.string('neurodata_type') : undefined;
  const kind = type ? RESPONSE_TYPES[type] : undefined;
  if (!kind)
    throw new NwbFormatError(
      ctx.filePath,
      `${responsePath}: response of type ${type ?? 'unknown'} is not a patch-clamp response series`,
    );
  const response = openSeries(
    ctx,
    responsePath,
    kind.unit,
    responseRange?.idxStart,
    responseRange?.count,
    group.isGroup ? type : undefined,
  );
  let command = null;
  if (stimulusPath) {
    const stimGroup = objectAttrs(ctx, stimulusPath);
    const stimType = stimGroup.exists ? (stimGroup.string('neurodata_type') ?? 'unknown') : 'unknown';
    const stimKind = STIMULUS_TYPES[stimType];
    if (!stimKind)
      throw new NwbFormatError(
        ctx.filePath,
        `${stimulusPath}: stimulus of type ${stimType} is not a patch-clamp stimulus series`,
      );
    if (stimKind.unit === kind.unit)
      throw new NwbFormatError(ctx.filePath, `${stimulusPath}: ${stimType} cannot drive ${type}`);
    command = openSeries(
      ctx,
      stimulusPath,
      stimKind.unit,
      stimulusRange?.idxStart,
      stimulusRange?.count,
      stimGroup.isGroup ? stimType : undefined,
    );
    if (Math.abs(command.rate - response.rate) > 1e-6 * response.rate) {
      throw new NwbFormatError(
        ctx.filePath,
        `${stimulusPath}: sample rate ${command.rate} Hz differs from its response ${responsePath} (${response.rate} Hz)`,
      );
    }
  }
  const electrode = electrodePath.split('/').pop()!;
  const ad = /_AD(\d+)$/.exec(responsePath) ?? /(\d+)$/.exec(electrode);
  return {
    electrode,
    electrodePath,
    adChannel: ad ? Number(ad[1]) : null,
    clampMode: kind.mode,
    sampleRate: response.rate,
    startTime: response.startTime,
    stimulusDescription: group.string('stimulus_description') ?? '',
    get length(): number {
      return command ? Math.min(response.length, command.length) : response.length;
    },
    response,
    command,
  };
}

function sortChannels(channels: NwbChannel[]): NwbChannel[] {
  return channels.sort((a, b) => a.electrode.localeCompare(b.electrode, 'en', { numeric: true }));
}

function sortSweeps(ctx: SeriesContext, sweeps: NwbSweep[]): NwbSweep[] {
  sweeps.sort((a, b) => a.sweepNumber - b.sweepNumber);
  for (const s of sweeps) {
    const names = new Set<string>();
    for (const c of s.channels) {
      if (names.has(c.electrodePath))
        throw new NwbFormatError(ctx.filePath, `sweep ${s.sweepNumber} has two responses on ${c.electrodePath}`);
      names.add(c.electrodePath);
    }
  }
  return sweeps;
}

/** A pipette that should have recorded but has no series is bad input, not an empty result. */
function checkElectrodes(ctx: SeriesContext, declared: string[], sweeps: NwbSweep[], options: OpenNwbOptions): void {
  const used = new Set(sweeps.flatMap((s) => s.channels.map((c) => c.electrode)));
  if (sweeps.length === 0) throw new NwbFormatError(ctx.filePath, 'no patch-clamp series found');
  if (!options.allowUnusedElectrodes) {
    for (const name of declared)
      if (!used.has(name)) throw new NwbFormatError(ctx.filePath, `electrode ${name} has no series`);
  }
  for (const name of options.expectedElectrodes ?? [])
    if (!used.has(name)) throw new NwbFormatError(ctx.filePath, `pipette channel ${name} has no series`);
}
