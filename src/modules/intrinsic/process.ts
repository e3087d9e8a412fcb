import { cellIntrinsic } from '../../analysis/index.js';
import { insertRows } from '../../db/entity-rows.js';
import { query, sql } from '../../db/sql.js';
import { IntrinsicSchema } from './entities.js';
import type { ProcessContext, ProcessResult } from '../types.js';
import { finiteOrNull } from '../../util/finite.js';

interface RecordingRow {
  cell_id: number;
  baseline_potential: number | null;
  noise_sd: number | null;
  tp_input_resistance: number | null;
  tp_tau: number | null;
  tp_baseline: number | null;
}

/** One set-based read of the experiment's recordings, medians per cell, one insert. */
export async function processIntrinsic({ em, job }: ProcessContext): Promise<ProcessResult> {
  const recordings = await query<RecordingRow>(
    em,
    sql`SELECT cell_id, baseline_potential, noise_sd, tp_input_resistance, tp_tau, tp_baseline
    FROM recording WHERE experiment_id = ${job.jobId} AND cell_id IS NOT NULL AND clamp_mode = 'ic' AND baseline_potential IS NOT NULL`,
  );
  const byCell = new Map<number, RecordingRow[]>();
  for (const r of recordings) byCell.set(r.cell_id, [...(byCell.get(r.cell_id) ?? []), r]);
  const rows = [...byCell].map(([cellId, rs]) => {
    const f = cellIntrinsic(
      rs.map((r) => ({
        baselinePotential: r.baseline_potential!,
        noiseSd: r.noise_sd ?? Number.NaN,
        testPulse:
          r.tp_input_resistance === null
            ? null
            : {
                inputResistance: r.tp_input_resistance,
                tau: r.tp_tau ?? Number.NaN,
                baseline: r.tp_baseline ?? Number.NaN,
              },
      })),
    );
    return {
      experiment: job.jobId,
      cell: cellId,
      restingPotential: finiteOrNull(f.restingPotential),
      inputResistance: finiteOrNull(f.inputResistance),
      membraneTau: finiteOrNull(f.membraneTau),
      noiseSd: finiteOrNull(f.noiseSd),
      nSweeps: f.nRecordings,
    };
  });
  await insertRows(em, IntrinsicSchema, rows);
  return { rows: { intrinsic: rows.length } };
}
