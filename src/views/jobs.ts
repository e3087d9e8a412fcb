import { waitingLabel, type QueueWaits } from './queue-waits.js';
import type { MpctlConfig } from '../config/config.js';
import type { Orm } from '../db/orm.js';
import { failedJobRecords, jobRecordsOf, type JobRecordRow } from '../bookkeeping/job-records.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { planUpdate } from '../planning/planner.js';
import { experimentWorkflowId, sliceOf } from '../workflow-safe/job-ids.js';
import { workflowUiUrl } from '../temporal/connection.js';

export interface FailureView {
  module: string;
  jobId: string;
  errorType: string | null;
  message: string;
  sourceFile: string | null;
  attempts: number;
  finishedAt: string | null;
  workflowId: string | null;
  uiUrl?: string;
}

/** Failed jobs, newest first, with what a person needs to chase them. */
export async function listFailures(
  orm: Orm,
  config: MpctlConfig,
  filter: { module?: string; experimentId?: string },
): Promise<FailureView[]> {
  const jobIds = filter.experimentId ? [filter.experimentId, sliceOf(filter.experimentId)] : undefined;
  const rows = await failedJobRecords(orm.em.fork(), { module: filter.module, jobIds });
  return rows.map((row) => ({
    module: row.module,
    jobId: row.job_id,
    errorType: row.error_type,
    message: (row.error_message ?? '').split('\n')[0],
    sourceFile: row.source_file,
    attempts: row.attempts,
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    workflowId: row.workflow_id,
    uiUrl: row.workflow_id ? workflowUiUrl(config, row.workflow_id, row.run_id ?? undefined) : undefined,
  }));
}

export interface ExperimentView {
  experimentId: string;
  workflowId: string;
  uiUrl?: string;
  /** Why an update does not plan it yet (no pipettes.yml, or files still changing); null when it does. */
  waiting: { reason: 'incomplete' | 'settling'; detail: string } | null;
  modules: {
    module: string;
    jobId: string;
    status: string;
    /** Why it would run now, when it is ready. */
    ready: string | null;
    lastReason: string | null;
    durationMs: number | null;
    finishedAt: string | null;
    error: string | null;
    sourceFile: string | null;
    /** Why an unfinished job does not run: no worker serves its module's task queue. */
    waitingForWorker: string | null;
  }[];
  /** Set when Temporal could not be asked which task queues have workers. */
  queuesUnknown?: string;
}

/** Every module's state for one experiment (its slice job for per-slice modules). */
export async function showExperiment(
  orm: Orm,
  registry: ModuleRegistry,
  config: MpctlConfig,
  experimentId: string,
  waits: QueueWaits = { byModule: {} },
): Promise<ExperimentView> {
  const jobIdOf = (module: string) => (registry.get(module).scope === 'slice' ? sliceOf(experimentId) : experimentId);
  const rows: JobRecordRow[] = await jobRecordsOf(orm.em.fork(), [experimentId, sliceOf(experimentId)]);
  const plan = await planUpdate(
    { orm, registry, dataRoots: config.dataRoots, settle: config.settle },
    { modules: registry.names, experimentIds: [experimentId] },
  );
  // The site's own reason first; a settling slice holds its sites with its own detail.
  const waiting =
    plan.waiting.find((w) => w.jobId === experimentId) ?? plan.waiting.find((w) => w.jobId === sliceOf(experimentId));
  const workflowId = experimentWorkflowId(experimentId);
  return {
    experimentId,
    workflowId,
    uiUrl: workflowUiUrl(config, workflowId),
    waiting: waiting ? { reason: waiting.reason, detail: waiting.detail } : null,
    modules: registry.names.map((module) => {
      const row = rows.find((r) => r.module === module && r.job_id === jobIdOf(module));
      const ready = plan.jobs.find((job) => job.module === module)?.reason ?? null;
      return {
        module,
        jobId: jobIdOf(module),
        status: row?.status ?? 'none',
        ready,
        lastReason: row?.reason ?? null,
        durationMs: row?.duration_ms ?? null,
        finishedAt: row?.finished_at ? new Date(row.finished_at).toISOString() : null,
        error: row?.status === 'succeeded' ? null : (row?.error_message?.split('\n')[0] ?? null),
        sourceFile: row?.source_file ?? null,
        waitingForWorker:
          waits.byModule[module] && row?.status !== 'succeeded' ? waitingLabel(waits.byModule[module]) : null,
      };
    }),
    ...(waits.unknown ? { queuesUnknown: waits.unknown } : {}),
  };
}
