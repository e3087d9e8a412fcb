import type { Em } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import type { PairTruthRecord } from '../sample-data/truth.js';

/** Figures of the `dynamics` module (modules/dynamics) over true connections of at least `minAmplitudeMv`. */
export interface DynamicsValidation {
  /** True connections with dynamics truth at or above the amplitude floor. */
  connections: number;
  /** Of those, how many have a dynamics row (the pair was detected and analysed). */
  compared: number;
  /** Median |PPR − truth PPR| and |induction − truth induction|; truth = ratios of the delivered mean amplitudes. */
  medianPprError: number | null;
  medianInductionError: number | null;
  /** Share of compared connections whose depressing/facilitating label matches the simulated synapse's kind. */
  plasticityAccuracy: number | null;
  minAmplitudeMv: number;
}

const key = (experiment: string, pre: string, post: string) => `${experiment}\u0001${pre}\u0001${post}`;
const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Null when the dynamics table does not exist (the module has not run here). */
export async function validateDynamics(
  em: Em,
  truth: PairTruthRecord[],
  minAmplitudeMv = 0.3,
): Promise<DynamicsValidation | null> {
  const [{ exists }] = await query<{ exists: boolean }>(em, sql`SELECT to_regclass('dynamics') IS NOT NULL AS exists`);
  if (!exists) return null;
  const rows = await query<{
    experiment_id: string;
    pre: string;
    post: string;
    paired_pulse_ratio: number | null;
    induction: number | null;
    plasticity: string | null;
  }>(
    em,
    sql`SELECT d.experiment_id, pre.ext_id AS pre, post.ext_id AS post, d.paired_pulse_ratio, d.induction, d.plasticity
      FROM dynamics d JOIN pair p ON p.id = d.pair_id JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id`,
  );
  const found = new Map(rows.map((r) => [key(r.experiment_id, r.pre, r.post), r]));
  const pprErrors: number[] = [];
  const inductionErrors: number[] = [];
  let labelled = 0;
  let correct = 0;
  let connections = 0;
  let compared = 0;
  for (const t of truth) {
    const a = t.pulse_amplitudes_mv;
    if (!t.connected || !a || a[0] == null || Math.abs(a[0]) < minAmplitudeMv) continue;
    connections++;
    const r = found.get(key(t.experiment_id, t.pre_pipette, t.post_pipette));
    if (!r) continue;
    compared++;
    if (a[1] != null && r.paired_pulse_ratio !== null) pprErrors.push(Math.abs(r.paired_pulse_ratio - a[1] / a[0]));
    const six = [a[5], a[6], a[7]];
    if (six.every((x) => x != null) && r.induction !== null)
      inductionErrors.push(Math.abs(r.induction - (six[0]! + six[1]! + six[2]!) / 3 / a[0]));
    if (r.plasticity && t.plasticity) {
      labelled++;
      if (r.plasticity === t.plasticity) correct++;
    }
  }
  return {
    connections,
    compared,
    medianPprError: median(pprErrors),
    medianInductionError: median(inductionErrors),
    plasticityAccuracy: labelled ? correct / labelled : null,
    minAmplitudeMv,
  };
}
