import type { Em } from '../db/orm.js';
import { execute, query, sql } from '../db/sql.js';
import type { ModuleRegistry } from '../modules/registry.js';

export interface DropReport {
  /** Per module: jobs dropped and rows deleted per table. */
  modules: Record<string, { jobs: number; rows: Record<string, number> }>;
}

export interface DropOptions {
  /** Keep the root module's own job records (a job that is about to write its new record). */
  keepRootRecords?: boolean;
}

/**
 * Deletes the results of `jobIds` in `module` and, first, of every dependent job downstream,
 * in reverse dependency order, inside the caller's transaction. Upstream is never touched.
 */
export async function dropJobs(em: Em, registry: ModuleRegistry, module: string, jobIds: string[], options: DropOptions = {}): Promise<DropReport> {
  const affected = await affectedJobs(em, registry, module, jobIds);
  const report: DropReport = { modules: {} };
  for (const name of [...affected.keys()].reverse()) {
    const ids = [...affected.get(name)!];
    if (ids.length === 0) continue;
    const rows = await registry.get(name).drop(em, ids);
    if (!(options.keepRootRecords && name === module)) {
      await execute(em, sql`DELETE FROM pipeline_job WHERE module = ${name} AND job_id = ANY(${ids}::text[])`);
    }
    report.modules[name] = { jobs: ids.length, rows };
  }
  return report;
}

/** The jobs of `module` and, in dependency order, every downstream job that consumed one of them. */
export async function affectedJobs(em: Em, registry: ModuleRegistry, module: string, jobIds: string[]): Promise<Map<string, Set<string>>> {
  const affected = new Map<string, Set<string>>([[module, new Set(jobIds)]]);
  for (const name of registry.downstreamOf(module)) {
    const target = registry.get(name);
    const ids = new Set<string>();
    for (const dep of target.dependencies) {
      const upstream = affected.get(dep);
      if (!upstream || upstream.size === 0) continue;
      if (registry.get(dep).scope === target.scope) {
        upstream.forEach((id) => ids.add(id));
      } else {
        // A slice job feeds every experiment job of that slice; find them by their records.
        const rows = await query<{ job_id: string }>(em, sql`SELECT job_id FROM pipeline_job
          WHERE module = ${name} AND split_part(job_id, '/', 1) = ANY(${[...upstream]}::text[])`);
        rows.forEach((row) => ids.add(row.job_id));
      }
    }
    affected.set(name, ids);
  }
  return affected;
}
