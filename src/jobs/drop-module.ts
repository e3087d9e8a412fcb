import type { Orm } from '../db/orm.js';
import { recordedJobIds } from '../bookkeeping/job-records.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { sliceOf } from '../workflow-safe/job-ids.js';
import { dropJobs, type DropReport } from './drop-jobs.js';

export interface DropModuleRequest {
  module: string;
  /** Only these experiments; a per-slice module drops the slices they belong to. */
  experimentIds?: string[];
  dryRun?: boolean;
}

class DryRunRollback extends Error {
  constructor(readonly report: DropReport) {
    super('dry run');
  }
}

/**
 * Deletes a module's results and job records, and first those of every downstream module, in
 * one transaction. A dry run performs the same deletes and rolls them back, so its counts are exact.
 */
export async function dropModule(orm: Orm, registry: ModuleRegistry, request: DropModuleRequest): Promise<DropReport> {
  const module = registry.get(request.module);
  const em = orm.em.fork();
  const filter = request.experimentIds?.length
    ? module.scope === 'slice'
      ? [...new Set(request.experimentIds.map(sliceOf))]
      : request.experimentIds
    : undefined;
  const jobIds = await recordedJobIds(em, module.name, filter);
  try {
    return await em.transactional(async (tx) => {
      const report = await dropJobs(tx, registry, module.name, jobIds);
      if (request.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
}
