import type { Orm } from '../db/orm.js';
import { recordedJobIds } from '../bookkeeping/job-records.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { sliceOf } from '../workflow-safe/job-ids.js';
import { registryForDrop } from '../external/removed-modules.js';
import { forgetRemovedModule } from '../external/sync-tables.js';
import { dropJobs, type DropReport } from './drop-jobs.js';

export interface DropOutcome {
  /** Where a removed module's kept files are (the worker's results root). */
  resultsRoot?: string;
}

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
export async function dropModule(
  orm: Orm,
  known: ModuleRegistry,
  request: DropModuleRequest,
  options: DropOutcome = {},
): Promise<DropReport> {
  const em = orm.em.fork();
  // A module whose folder has gone is dropped from its record; dropping all of it also drops its tables.
  const { registry, removed } = await registryForDrop(em, known, request.module, options.resultsRoot ?? '');
  const module = registry.get(request.module);
  const filter = request.experimentIds?.length
    ? module.scope === 'slice'
      ? [...new Set(request.experimentIds.map(sliceOf))]
      : request.experimentIds
    : undefined;
  const jobIds = await recordedJobIds(em, module.name, filter);
  let report: DropReport;
  try {
    report = await em.transactional(async (tx) => {
      const dropped = await dropJobs(tx, registry, module.name, jobIds, { keepFiles: request.dryRun });
      if (request.dryRun) throw new DryRunRollback(dropped);
      return dropped;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
  if (removed && !filter) await forgetRemovedModule(orm.config.get('clientUrl')!, removed);
  return report;
}
