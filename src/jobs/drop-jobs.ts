import type { JobStatus } from '../bookkeeping/entities.js';
import {
  deleteJobRecords,
  deleteJobRecordsIfStatus,
  jobStatuses,
  recordedJobIdsInSlices,
  statusKey,
  type JobKey,
} from '../bookkeeping/job-records.js';
import type { Em } from '../db/orm.js';
import type { ModuleRegistry } from '../modules/registry.js';

export interface DropReport {
  /** Per module: jobs dropped and rows deleted per table. */
  modules: Record<string, { jobs: number; rows: Record<string, number> }>;
}

export interface DropOptions {
  /** Keep the root module's own job records (a job that is about to write its new record). */
  keepRootRecords?: boolean;
  /** The root jobs' statuses before this run started, when the caller already overwrote them. */
  rootStatus?: JobStatus | null;
  /** A dry run: rows go inside a transaction that is rolled back, files stay. */
  keepFiles?: boolean;
  /**
   * The statuses of the affected jobs (keyed by `statusKey`, those with a record), read by the
   * caller before its transaction; records are then deleted only if they still have that status.
   */
  statuses?: Map<string, JobStatus>;
}

/**
 * Rows exist only for jobs whose record is `succeeded` — or `running`, when an earlier attempt
 * died before its transaction ended and left older rows. Jobs with any other record, or none,
 * have nothing to delete; skipping them saves every module's DELETEs on a first run.
 */
const MAY_HAVE_ROWS = new Set<JobStatus | null>(['succeeded', 'running']);

/**
 * Deletes the results of `jobIds` in `module` and, first, of every dependent job downstream,
 * in reverse dependency order, inside the caller's transaction. Upstream is never touched.
 */
export async function dropJobs(
  em: Em,
  registry: ModuleRegistry,
  module: string,
  jobIds: string[],
  options: DropOptions = {},
): Promise<DropReport> {
  const affected = await affectedJobs(em, registry, module, jobIds);
  const statuses =
    options.statuses ??
    (await jobStatuses(
      em,
      [...affected].flatMap(([name, ids]) => [...ids].map((jobId) => ({ module: name, jobId }))),
    ));
  const report: DropReport = { modules: {} };
  const recordsToDelete: (JobKey & { status: JobStatus })[] = [];
  for (const name of [...affected.keys()].reverse()) {
    const ids = [...affected.get(name)!];
    if (ids.length === 0) continue;
    const isRoot = name === module;
    const statusOf = (id: string) =>
      isRoot && options.rootStatus !== undefined
        ? options.rootStatus
        : (statuses.get(statusKey({ module: name, jobId: id })) ?? null);
    const withRows = ids.filter((id) => MAY_HAVE_ROWS.has(statusOf(id)));
    const rows =
      withRows.length > 0 ? await registry.get(name).drop(em, withRows, { keepFiles: options.keepFiles }) : {};
    if (!(options.keepRootRecords && isRoot)) {
      recordsToDelete.push(
        ...ids
          .filter((jobId) => statuses.has(statusKey({ module: name, jobId })))
          .map((jobId) => ({ module: name, jobId, status: statuses.get(statusKey({ module: name, jobId }))! })),
      );
    }
    report.modules[name] = { jobs: ids.length, rows };
  }
  await (options.statuses ? deleteJobRecordsIfStatus(em, recordsToDelete) : deleteJobRecords(em, recordsToDelete));
  return report;
}

/**
 * The jobs downstream of one job when every module downstream has the job's scope, so they are
 * known without reading records (the same job id in each); undefined otherwise.
 */
export function sameScopeDownstream(registry: ModuleRegistry, module: string, jobId: string): JobKey[] | undefined {
  const scope = registry.get(module).scope;
  const names = registry.downstreamOf(module);
  if (names.some((name) => registry.get(name).scope !== scope)) return undefined;
  return names.map((name) => ({ module: name, jobId }));
}

/** The jobs of `module` and, in dependency order, every downstream job that consumed one of them. */
export async function affectedJobs(
  em: Em,
  registry: ModuleRegistry,
  module: string,
  jobIds: string[],
): Promise<Map<string, Set<string>>> {
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
        (await recordedJobIdsInSlices(em, name, [...upstream])).forEach((id) => ids.add(id));
      }
    }
    affected.set(name, ids);
  }
  return affected;
}
