import type { Orm } from '../db/orm.js';
import { statusCounts } from '../bookkeeping/job-records.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { planUpdate } from '../planning/planner.js';
import type { SettleRule } from '../raw/settle.js';

export interface ModuleStatus {
  module: string;
  succeeded: number;
  failed: number;
  ready: number;
  running: number;
  skipped: number;
  cancelled: number;
}

/** Slices and sites an update does not plan yet: not submitted (no pipettes.yml) or still changing. */
export interface WaitingCounts {
  incomplete: number;
  settling: number;
}

/** Job counts per module from the job records, plus how many jobs an update would run now and how many wait. */
export async function moduleStatus(
  orm: Orm,
  registry: ModuleRegistry,
  dataRoots: string[],
  settle?: SettleRule,
): Promise<{ modules: ModuleStatus[]; waiting: WaitingCounts }> {
  const em = orm.em.fork();
  const rows = await statusCounts(em);
  const plan = await planUpdate({ orm, registry, dataRoots, settle }, { modules: registry.names });
  const waiting = {
    incomplete: plan.waiting.filter((w) => w.reason === 'incomplete').length,
    settling: plan.waiting.filter((w) => w.reason === 'settling').length,
  };
  const modules = registry.names.map((module) => {
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
  return { modules, waiting };
}
