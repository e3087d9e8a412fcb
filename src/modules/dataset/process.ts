import { setImmediate as tick } from 'node:timers/promises';
import type { ResponseQcOptions, SweepAnalysis } from '../../analysis/index.js';
import { query, sql } from '../../db/sql.js';
import { openNwb, type NwbChannel } from '../../nwb/index.js';
import type { ProcessContext, ProcessResult } from '../types.js';
import { mapChannels, type ElectrodeRow } from './channel-map.js';
import { addSweep, newRows } from './dataset-rows.js';
import { insertDatasetRows } from './insert-rows.js';
import { siteNwbFile } from './nwb-file.js';
import { startSweepAnalyzer } from './sweep-analyzer.js';

export interface DatasetParams extends Record<string, unknown> {
  /** Baseline potential ranges (V) in which a response counts for excitatory / inhibitory analysis. */
  responseQc: Required<ResponseQcOptions>;
}

export const DATASET_PARAMS: DatasetParams = { responseQc: { exRange: [-0.085, -0.045], inRange: [-0.085, -0.045] } };

/** Reads the site's NWB sweep by sweep, analyses each sweep and writes the four dataset tables in bulk. */
export async function processDataset({
  em,
  job,
  params,
  heartbeat,
  signal,
}: ProcessContext<DatasetParams>): Promise<ProcessResult> {
  const file = siteNwbFile(job);
  const experimentId = job.jobId;
  const electrodes = await query<ElectrodeRow>(
    em,
    sql`SELECT e.id, e.ext_id, e.device_id, e.got_data, c.id AS cell_id
    FROM electrode e LEFT JOIN cell c ON c.electrode_id = e.id WHERE e.experiment_id = ${experimentId}`,
  );
  const pairs = await query<{ id: number; pre: number; post: number }>(
    em,
    sql`SELECT p.id, pre.electrode_id AS pre, post.electrode_id AS post
    FROM pair p JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id WHERE p.experiment_id = ${experimentId}`,
  );
  const pairIds = new Map(pairs.map((p) => [`${p.pre}/${p.post}`, p.id]));

  const nwb = await openNwb(file);
  const rows = newRows();
  const warnings: string[] = [];
  const analyzer = startSweepAnalyzer(params.responseQc);
  let previous:
    | {
        analysis: Promise<SweepAnalysis>;
        channels: Map<string, { channel: NwbChannel; electrode: ElectrodeRow; response: Float64Array }>;
      }
    | undefined;
  try {
    const byChannel = mapChannels(file, nwb, electrodes);
    for (const [i, sweep] of nwb.sweeps.entries()) {
      signal.throwIfAborted();
      heartbeat({ phase: 'dataset', sweep: i + 1, of: nwb.sweeps.length });
      const channels = new Map<string, { channel: NwbChannel; electrode: ElectrodeRow; response: Float64Array }>();
      const inputs = sweep.channels.map((channel) => {
        const electrode = byChannel.get(channel.adChannel!)!;
        const response = channel.response.read(0, channel.length);
        channels.set(electrode.ext_id, { channel, electrode, response });
        // A channel without a stimulus series was held at its holding current: a flat command.
        const command = channel.command ? channel.command.read(0, channel.length) : new Float64Array(channel.length);
        return { key: electrode.ext_id, rate: channel.sampleRate, command, response, clampMode: channel.clampMode };
      });
      if (inputs.length === 0) continue;
      // Reading is synchronous (h5wasm); the analysis of this sweep runs on the analyzer's thread
      // while the next sweep is read. Rows are still added in sweep order.
      const current = {
        analysis: analyzer.analyze(experimentId, { sweepNumber: sweep.sweepNumber, channels: inputs }),
        channels,
      };
      if (previous) addSweep(rows, experimentId, await previous.analysis, previous.channels, pairIds);
      previous = current;
      // Yield so heartbeats and cancellation get through between sweeps.
      await tick();
    }
    if (previous) addSweep(rows, experimentId, await previous.analysis, previous.channels, pairIds);
  } finally {
    nwb.close();
    await analyzer.close();
  }
  if (rows.recordings.length === 0) warnings.push(`${file}: no sweeps`);
  heartbeat({ phase: 'dataset-insert' });
  return { rows: await insertDatasetRows(em, rows), warnings };
}
