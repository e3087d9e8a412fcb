import { loadPlanUnits } from '../bookkeeping/plans.js';
import type { Orm } from '../db/orm.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { dropJobs } from './drop-jobs.js';

/** Orphan units read per page; each unit is one module's orphaned jobs. */
const PAGE = 1000;

/**
 * Drops the results of finished jobs whose raw folder has gone (the update's orphan units),
 * each module in one transaction; returns how many jobs went.
 */
export async function dropOrphans(orm: Orm, registry: ModuleRegistry, updateId: string): Promise<number> {
  let dropped = 0;
  for (let from = 0; ; from += PAGE) {
    const units = await loadPlanUnits(orm.em.fork(), updateId, 'orphan', from, PAGE);
    for (const unit of units) {
      const jobIds = unit.jobs.map((job) => job.jobId);
      await orm.em.fork().transactional((em) => dropJobs(em, registry, unit.key, jobIds));
      dropped += jobIds.length;
    }
    if (units.length < PAGE) return dropped;
  }
}
