import os from 'node:os';
import { ApplicationFailure, Context, CancelledFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Orm } from '../db/orm.js';
import { dropModule, type DropModuleRequest } from '../jobs/drop-module.js';
import type { DropReport } from '../jobs/drop-jobs.js';
import { cancelAndWait, runningExperimentWorkflows } from '../services/experiment-workflows.js';
import { releaseUpdateLock, tryTakeUpdateLock } from '../jobs/update-lock.js';
import { updateWorkflowId } from '../workflow-safe/job-ids.js';
import { dropJobs } from '../jobs/drop-jobs.js';
import { upsertJobRecord } from '../jobs/job-records.js';
import { runJob } from '../jobs/run-job.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { planUpdate, type PlanRequest } from '../planning/planner.js';
import {
  loadPlanUnits,
  storePlan,
  type PlanKind,
  type PlanUnit,
  type StoredPlanSummary,
} from '../planning/plan-store.js';
import { toActivityFailure } from './failures.js';

export interface ActivityDeps {
  orm: Orm;
  registry: ModuleRegistry;
  dataRoots: string[];
  /** For activities that act on other workflows (a drop cancels running experiments first). */
  client?: Client;
  /** Told about every finished job, for metrics. */
  onJobFinished?: (module: string, outcome: 'succeeded' | 'failed' | 'cancelled', seconds: number) => void;
}

export interface PlanAndStoreInput extends PlanRequest {
  updateId: string;
  dataRoots?: string[];
}

export interface PlanAndStoreOutput extends StoredPlanSummary {
  warnings: string[];
  graph: Record<string, string[]>;
  notReady: Record<string, Record<string, number>>;
}

export interface RunModuleJobInput {
  module: string;
  jobId: string;
  reason: string;
  updateId?: string;
  dataRoots?: string[];
}

export interface RunModuleJobOutput {
  module: string;
  jobId: string;
  rows: Record<string, number>;
  durationMs: number;
}

export interface RecordSkippedInput {
  jobs: { module: string; jobId: string; blockedBy: string }[];
  updateId?: string;
}

/** How often a running job tells Temporal it is alive; well inside the heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 2_000;

/** The same identity the Temporal worker reports, so job records and the Web UI agree. */
export const WORKER_IDENTITY = `${process.pid}@${os.hostname()}`;

/** Activities are built from injected dependencies, so tests run them against a real database. */
export function createActivities(deps: ActivityDeps) {
  const roots = (override?: string[]) => (override?.length ? override : deps.dataRoots);

  return {
    /** Plans an update and stores the plan for the workflow to page through. */
    async planAndStore(input: PlanAndStoreInput): Promise<PlanAndStoreOutput> {
      try {
        const plan = await planUpdate({ ...deps, dataRoots: roots(input.dataRoots) }, input);
        const summary = await deps.orm.em
          .fork()
          .transactional((em) => storePlan(em, deps.registry, input.updateId, plan));
        const graph = Object.fromEntries(deps.registry.ordered.map((m) => [m.name, m.dependencies]));
        return { ...summary, warnings: plan.warnings, notReady: plan.notReady, graph };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    async loadPlanUnits(input: {
      updateId: string;
      kind: PlanKind;
      fromSeq: number;
      limit: number;
    }): Promise<PlanUnit[]> {
      return loadPlanUnits(deps.orm.em.fork(), input.updateId, input.kind, input.fromSeq, input.limit);
    },

    /** Runs one module job; heartbeats so cancellation, resets and dead workers are noticed within seconds. */
    async runModuleJob(input: RunModuleJobInput): Promise<RunModuleJobOutput> {
      const ctx = Context.current();
      const info = ctx.info;
      const timer = setInterval(() => ctx.heartbeat({ module: input.module, jobId: input.jobId }), HEARTBEAT_EVERY_MS);
      const started = Date.now();
      try {
        const result = await runJob(
          { ...deps, dataRoots: roots(input.dataRoots) },
          {
            module: input.module,
            jobId: input.jobId,
            reason: input.reason,
            updateId: input.updateId,
            workflowId: info.workflowExecution?.workflowId,
            runId: info.workflowExecution?.runId,
            attempt: info.attempt,
            workerIdentity: WORKER_IDENTITY,
          },
          {
            heartbeat: (details) => ctx.heartbeat(details),
            signal: ctx.cancellationSignal,
            isCancellation: (error) => error instanceof CancelledFailure || ctx.cancellationSignal.aborted,
          },
        );
        deps.onJobFinished?.(input.module, 'succeeded', (Date.now() - started) / 1000);
        return { module: result.module, jobId: result.jobId, rows: result.rows, durationMs: result.durationMs };
      } catch (error) {
        const cancelled = ctx.cancellationSignal.aborted;
        deps.onJobFinished?.(input.module, cancelled ? 'cancelled' : 'failed', (Date.now() - started) / 1000);
        // Reported as a cancellation, not a failure, so the workflow sees it as one.
        if (cancelled) throw new CancelledFailure(`${input.module} ${input.jobId} cancelled`);
        throw toActivityFailure(error);
      } finally {
        clearInterval(timer);
      }
    },

    /** Records jobs skipped because an upstream module failed, with the reason. */
    async recordSkipped(input: RecordSkippedInput): Promise<void> {
      const em = deps.orm.em.fork();
      for (const job of input.jobs) {
        await upsertJobRecord(em, {
          module: job.module,
          jobId: job.jobId,
          status: 'skipped',
          reason: `upstream-failed:${job.blockedBy}`,
          updateId: input.updateId ?? null,
          startedAt: null,
          finishedAt: new Date(),
          durationMs: null,
          errorMessage: `skipped because ${job.blockedBy} failed`,
          errorType: 'Skipped',
          errorStack: null,
          sourceFile: null,
        });
      }
    },

    /**
     * Takes the update lock, or fails with a retryable `UpdateLockHeld` naming its owner. Waiting
     * is Temporal's retry backoff, not a loop in here: a waiting update must not hold one of the
     * worker's activity slots, or enough queued updates would starve the jobs of the update they
     * wait for.
     */
    async takeUpdateLock(input: { updateId: string }): Promise<{ taken: true } | { taken: false; owner: string }> {
      const result = await tryTakeUpdateLock(deps.orm.em.fork(), input.updateId, (owner) =>
        updateIsRunning(deps.client, owner),
      );
      return result.taken ? { taken: true } : { taken: false, owner: result.owner };
    },

    /** One attempt of the wait for the lock; `waitedFor` stays for histories recorded before the retry-based wait. */
    async acquireUpdateLock(input: { updateId: string }): Promise<{ waitedFor: string[] }> {
      const result = await tryTakeUpdateLock(deps.orm.em.fork(), input.updateId, (owner) =>
        updateIsRunning(deps.client, owner),
      );
      if (!result.taken)
        throw ApplicationFailure.retryable(
          `update ${result.owner} is running; waiting for it to finish`,
          UPDATE_LOCK_HELD,
        );
      return { waitedFor: [] };
    },

    async releaseUpdateLock(input: { updateId: string }): Promise<void> {
      await releaseUpdateLock(deps.orm.em.fork(), input.updateId);
    },

    /** Cancels the running experiment workflows (some or all) and waits until they have closed. */
    async cancelExperimentWorkflows(input: {
      experimentIds?: string[];
    }): Promise<{ cancelled: string[]; stillRunning: string[] }> {
      if (!deps.client) throw new Error('this worker has no Temporal client for cancelling workflows');
      const ids = await runningExperimentWorkflows(deps.client, input.experimentIds);
      const result = await cancelAndWait(deps.client, ids);
      return { cancelled: result.closed, stillRunning: result.stillRunning };
    },

    /** Drops a module's results with everything downstream, in one transaction. */
    async dropModuleResults(input: DropModuleRequest): Promise<DropReport> {
      try {
        return await dropModule(deps.orm, deps.registry, input);
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Drops the results of finished jobs whose raw folder has gone (orphans), each module in one transaction. */
    async dropOrphans(input: { updateId: string }): Promise<number> {
      const units = await loadPlanUnits(deps.orm.em.fork(), input.updateId, 'orphan', 0, 1000);
      let dropped = 0;
      for (const unit of units) {
        const jobIds = unit.jobs.map((job) => job.jobId);
        await deps.orm.em.fork().transactional((em) => dropJobs(em, deps.registry, unit.key, jobIds));
        dropped += jobIds.length;
      }
      return dropped;
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** The failure type of a lock attempt that found another update running (retried until it is free). */
export const UPDATE_LOCK_HELD = 'UpdateLockHeld';

/** Whether the update holding the lock still runs; without a client, assume it does. */
async function updateIsRunning(client: Client | undefined, updateId: string): Promise<boolean> {
  if (!client) return true;
  try {
    return (await client.workflow.getHandle(updateWorkflowId(updateId)).describe()).status.name === 'RUNNING';
  } catch {
    return false; // no such workflow: a leftover lock
  }
}
