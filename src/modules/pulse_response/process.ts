import { measureResponse, SNIPPET_PRE, type ResponseStrength } from '../../analysis/index.js';
import { bulkInsert, query, sql, type ColumnType } from '../../db/sql.js';
import { fromFloat32Bytes } from '../dataset/float32.js';
import type { ProcessContext, ProcessResult } from '../types.js';
import { finiteOrNull } from '../../util/finite.js';

interface ResponseRow {
  id: number;
  window_start: number;
  sample_rate: number;
  data: Uint8Array;
  baseline_id: number | null;
  onset_index: number;
  spike_time: number | null;
}

const FIELDS = [
  'baseline',
  'posAmp',
  'negAmp',
  'posLatency',
  'negLatency',
  'decPosAmp',
  'decNegAmp',
  'decMeanAmp',
  'templateAmp',
  'crosstalk',
] as const;
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const COLUMNS: Record<string, ColumnType> = {
  experiment_id: 'text',
  pulse_response_id: 'int4',
  ...Object.fromEntries(
    FIELDS.flatMap((f) => [
      [snake(f), 'float8'],
      [`bg_${snake(f)}`, 'float8'],
    ]),
  ),
};

/**
 * Measures every response window of the experiment from the stored samples, and its matched
 * background snippet with a virtual spike at the same delay after a virtual pulse (as
 * `analyzeSweep` does), so foreground and background are measured identically.
 */
export async function processPulseResponse({ em, job, heartbeat, signal }: ProcessContext): Promise<ProcessResult> {
  const responses = await query<ResponseRow>(
    em,
    sql`SELECT pr.id, pr.window_start, pr.sample_rate, pr.data, pr.baseline_id, sp.onset_index, sp.spike_time
    FROM pulse_response pr JOIN stim_pulse sp ON sp.id = pr.stim_pulse_id WHERE pr.experiment_id = ${job.jobId} ORDER BY pr.id`,
  );
  const baselines = new Map(
    (
      await query<{ id: number; data: Uint8Array }>(
        em,
        sql`SELECT id, data FROM baseline WHERE experiment_id = ${job.jobId}`,
      )
    ).map((b) => [b.id, fromFloat32Bytes(b.data)]),
  );
  signal.throwIfAborted();
  heartbeat({ phase: 'pulse_response', responses: responses.length });
  const rows = [];
  for (const r of responses) {
    if (r.spike_time === null) continue;
    const rate = r.sample_rate;
    const fg = measureResponse(
      fromFloat32Bytes(r.data),
      rate,
      r.onset_index - r.window_start,
      r.spike_time - r.window_start / rate,
    );
    const bgData = r.baseline_id === null ? undefined : baselines.get(r.baseline_id);
    const bg = bgData
      ? measureResponse(
          bgData,
          rate,
          Math.round(SNIPPET_PRE * rate),
          SNIPPET_PRE + (r.spike_time - r.onset_index / rate),
        )
      : null;
    rows.push(strengthRow(job.jobId, r.id, fg, bg));
  }
  await bulkInsert(em, 'pulse_response_strength', COLUMNS, rows);
  return { rows: { pulse_response_strength: rows.length } };
}

function strengthRow(
  experimentId: string,
  id: number,
  fg: ResponseStrength,
  bg: ResponseStrength | null,
): Record<string, unknown> {
  const row: Record<string, unknown> = { experiment_id: experimentId, pulse_response_id: id };
  for (const f of FIELDS) {
    row[snake(f)] = finiteOrNull(fg[f]);
    row[`bg_${snake(f)}`] = bg ? finiteOrNull(bg[f]) : null;
  }
  return row;
}
