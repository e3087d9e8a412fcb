import type { ResponseStrength } from '../../analysis/index.js';
import { selectAs } from '../../db/entity-rows.js';
import { fromFloat32Bytes } from '../../db/float32.js';
import type { Em } from '../../db/orm.js';
import { query, sql } from '../../db/sql.js';
import {
  backgroundOf,
  PulseResponseStrengthSchema,
  PulseResponseVcStrengthSchema,
  RESPONSE_MEASURES,
} from '../pulse_response/entities.js';
import type { PairResponse } from './pair-connectivity.js';

const BACKGROUND = RESPONSE_MEASURES.map(backgroundOf);

type Row = Record<string, number | null> & {
  pair_id: number;
  sweep_number: number;
  pulse_number: number;
  window_start: number;
  sample_rate: number;
  spike_time: number;
  data: Uint8Array;
  ex_qc_pass: boolean;
  in_qc_pass: boolean;
  qc_reasons: string[];
  baseline_potential: number | null;
  baseline_current: number | null;
};

function strength(row: Row, background: boolean): ResponseStrength {
  // Stored nulls were non-finite measures: back to NaN, as the analysis produced them.
  return Object.fromEntries(
    RESPONSE_MEASURES.map((m) => [m, row[background ? backgroundOf(m) : m] ?? Number.NaN]),
  ) as unknown as ResponseStrength;
}

/** The post recording's holding potential (V) and quiet current (A), per response; voltage clamp only. */
export interface Holding {
  potential: number | null;
  current: number | null;
}

/**
 * Every measured response of the experiment in one clamp mode, grouped by pair, as
 * `analyzePair` takes them. One query; each mode's measures live in their own table, so the
 * two never meet in one sample.
 */
export async function pairResponses(
  em: Em,
  experimentId: string,
  clampMode: 'ic' | 'vc' = 'ic',
): Promise<Map<number, { rate: number; responses: (PairResponse & { holding: Holding })[] }>> {
  const schema = clampMode === 'vc' ? PulseResponseVcStrengthSchema : PulseResponseStrengthSchema;
  const measures = selectAs(em, schema, 's', [...RESPONSE_MEASURES, ...BACKGROUND]);
  const rows = await query<Row>(
    em,
    sql`SELECT pr.pair_id, r.sweep_number, sp.pulse_number, pr.window_start, pr.sample_rate, sp.spike_time, pr.data,
      pr.ex_qc_pass, pr.in_qc_pass, pr.qc_reasons, r.baseline_potential, r.baseline_current, ${measures}
    FROM pulse_response pr
    JOIN ${sql.table(schema.meta.tableName!)} s ON s.pulse_response_id = pr.id
    JOIN stim_pulse sp ON sp.id = pr.stim_pulse_id
    JOIN recording r ON r.id = pr.recording_id
    WHERE pr.experiment_id = ${experimentId}
    ORDER BY pr.pair_id, r.sweep_number, sp.pulse_number`,
  );
  const byPair = new Map<number, { rate: number; responses: (PairResponse & { holding: Holding })[] }>();
  for (const row of rows) {
    const entry = byPair.get(row.pair_id) ?? { rate: row.sample_rate, responses: [] };
    entry.responses.push({
      sweep: row.sweep_number,
      pulseNumber: row.pulse_number,
      windowStart: row.window_start / row.sample_rate,
      spikeTime: row.spike_time,
      data: fromFloat32Bytes(row.data),
      strength: strength(row, false),
      background: row.bgBaseline === null ? null : strength(row, true),
      qc: { exPass: row.ex_qc_pass, inPass: row.in_qc_pass, reasons: row.qc_reasons },
      holding: { potential: row.baseline_potential, current: row.baseline_current },
    });
    byPair.set(row.pair_id, entry);
  }
  return byPair;
}
