import {
  measureResponse,
  SNIPPET_PRE,
  VC_MEASURE,
  type MeasureOptions,
  type ResponseStrength,
} from '../../analysis/index.js';
import { insertRows, type InsertRow } from '../../db/entity-rows.js';
import { fromFloat32Bytes } from '../../db/float32.js';
import { query, sql } from '../../db/sql.js';
import { finiteOrNull } from '../../util/finite.js';
import type { ProcessContext, ProcessResult } from '../types.js';
import {
  backgroundOf,
  PulseResponseStrengthSchema,
  PulseResponseVcStrengthSchema,
  RESPONSE_MEASURES,
} from './entities.js';

export interface PulseResponseParams extends Record<string, unknown> {
  /** Current clamp: peak search after the spike (s), and the deconvolution's τ (s) and low-pass (Hz). */
  measure: Required<Omit<MeasureOptions, 'template'>>;
  /** Voltage clamp: the same, with τ 5 ms and a PSC template (s). */
  vcMeasure: Required<MeasureOptions>;
}

export const PULSE_RESPONSE_PARAMS: PulseResponseParams = {
  measure: { peakWindow: [0.001, 0.006], deconvolutionTau: 0.015, lowpass: 1000 },
  vcMeasure: VC_MEASURE,
};

interface ResponseRow {
  id: number;
  window_start: number;
  sample_rate: number;
  data: Uint8Array;
  baseline_id: number | null;
  onset_index: number;
  spike_time: number | null;
  clamp_mode: string;
}

/**
 * Measures every response window of the experiment from the stored samples, and its matched
 * background snippet with a virtual spike at the same delay after a virtual pulse (as
 * `analyzeSweep` does), so foreground and background are measured identically.
 */
export async function processPulseResponse({
  em,
  job,
  params,
  heartbeat,
  signal,
}: ProcessContext<PulseResponseParams>): Promise<ProcessResult> {
  const responses = await query<ResponseRow>(
    em,
    sql`SELECT pr.id, pr.window_start, pr.sample_rate, pr.data, pr.baseline_id, sp.onset_index, sp.spike_time, r.clamp_mode
    FROM pulse_response pr JOIN stim_pulse sp ON sp.id = pr.stim_pulse_id JOIN recording r ON r.id = pr.recording_id
    WHERE pr.experiment_id = ${job.jobId} ORDER BY pr.id`,
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
  const rows: StrengthRow[] = [];
  const vcRows: StrengthRow[] = [];
  for (const r of responses) {
    if (r.spike_time === null) continue;
    const rate = r.sample_rate;
    // Each clamp mode is measured with its own settings and stored in its own table.
    const vc = r.clamp_mode === 'vc';
    const settings = vc ? params.vcMeasure : params.measure;
    const fg = measureResponse(
      fromFloat32Bytes(r.data),
      rate,
      r.onset_index - r.window_start,
      r.spike_time - r.window_start / rate,
      settings,
    );
    const bgData = r.baseline_id === null ? undefined : baselines.get(r.baseline_id);
    const bg = bgData
      ? measureResponse(
          bgData,
          rate,
          Math.round(SNIPPET_PRE * rate),
          SNIPPET_PRE + (r.spike_time - r.onset_index / rate),
          settings,
        )
      : null;
    (vc ? vcRows : rows).push(strengthRow(job.jobId, r.id, fg, bg));
  }
  await insertRows(em, PulseResponseStrengthSchema, rows);
  await insertRows(em, PulseResponseVcStrengthSchema, vcRows);
  return { rows: { pulse_response_strength: rows.length, pulse_response_vc_strength: vcRows.length } };
}

type StrengthRow = InsertRow<typeof PulseResponseStrengthSchema>;

function strengthRow(experiment: string, id: number, fg: ResponseStrength, bg: ResponseStrength | null): StrengthRow {
  const row: StrengthRow = { experiment, pulseResponse: id };
  for (const m of RESPONSE_MEASURES) {
    row[m] = finiteOrNull(fg[m]);
    row[backgroundOf(m)] = bg ? finiteOrNull(bg[m]) : null;
  }
  return row;
}
