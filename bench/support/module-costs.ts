import { query, sql } from '../../src/db/sql.js';

export interface ModuleCost {
  module: string;
  jobs: number;
  /** Sum over the module's jobs of the worker's CPU while each ran (provenance runtime.workerCpuMs). */
  cpuMs: number;
  /** Sum of the jobs' wall time (job records' duration_ms). */
  wallMs: number;
}

/**
 * CPU and wall time per module from the succeeded jobs' records. The CPU is the worker process's
 * while the job ran, so it is the module's own only when the worker ran one job at a time.
 */
export async function moduleCosts(em: Parameters<typeof query>[0]): Promise<ModuleCost[]> {
  return query<ModuleCost>(
    em,
    sql`
    SELECT module, count(*)::int AS jobs,
           coalesce(sum((provenance->'runtime'->>'workerCpuMs')::float8), 0)::float8 AS "cpuMs",
           coalesce(sum(duration_ms), 0)::float8 AS "wallMs"
    FROM pipeline_job WHERE status = 'succeeded'
    GROUP BY module ORDER BY 3 DESC`,
  );
}
