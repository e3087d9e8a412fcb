import type { Orm } from '../db/orm.js';
import { query, sql } from '../db/sql.js';

/** Detection scores (|Welch t| of template amplitudes vs matched background) at or above this count as connections. */
export const DETECTION_THRESHOLD = 4;

export interface FoundConnection {
  experiment: string;
  pre: string;
  post: string;
  synapseType: string;
  detectionScore: number;
  amplitudeMv: number | null;
  latencyMs: number | null;
}

export interface ConnectionSummary {
  pairsTested: number;
  threshold: number;
  connections: FoundConnection[];
}

/** Pairs with usable responses, and those whose detection score passes the threshold. */
export async function connectionSummary(orm: Orm, threshold = DETECTION_THRESHOLD): Promise<ConnectionSummary> {
  const rows = await query<{
    experiment_id: string;
    pre: string;
    post: string;
    synapse_type: string | null;
    detection_score: number | null;
    fit_amplitude: number | null;
    fit_latency: number | null;
  }>(
    orm.em.fork(),
    sql`SELECT cs.experiment_id, pre.ext_id AS pre, post.ext_id AS post, cs.synapse_type, cs.detection_score, cs.fit_amplitude, cs.fit_latency
      FROM connection_strength cs JOIN pair p ON p.id = cs.pair_id JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id
      WHERE cs.n_samples > 0 ORDER BY cs.experiment_id, pre.ext_id, post.ext_id`,
  );
  return {
    pairsTested: rows.length,
    threshold,
    connections: rows
      .filter((r) => (r.detection_score ?? 0) >= threshold)
      .map((r) => ({
        experiment: r.experiment_id,
        pre: r.pre,
        post: r.post,
        synapseType: r.synapse_type ?? '?',
        detectionScore: r.detection_score!,
        amplitudeMv: r.fit_amplitude === null ? null : r.fit_amplitude * 1e3,
        latencyMs: r.fit_latency === null ? null : r.fit_latency * 1e3,
      })),
  };
}
