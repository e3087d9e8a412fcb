import type { Orm } from '../db/orm.js';
import { statusCounts } from '../bookkeeping/job-records.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { planUpdate } from '../planning/planner.js';

export interface ModuleStatus {
  module: string;
  succeeded: number;
  failed: number;
  ready: number;
  running: number;
  skipped: number;
  cancelled: number;
}

/** Job counts per module from the job records, plus how many jobs an update would run now. */
export async function moduleStatus(orm: Orm, registry: ModuleRegistry, dataRoots: string[]): Promise<ModuleStatus[]> {
  const em = orm.em.fork();
  const rows = await statusCounts(em);
  const plan = await planUpdate({ orm, registry, dataRoots }, { modules: registry.names });
  return registry.names.map((module) => {
    const count = (status: string) =>
      Number(rows.find((row) => row.module === module && row.status === status)?.n ?? 0);
    return {
      module,
      succeeded: count('succeeded'),
      failed: count('failed'),
      ready: plan.jobs.filter((job) => job.module === module).length,
      running: count('running'),
      skipped: count('skipped'),
      cancelled: count('cancelled'),
    };
  });
}
