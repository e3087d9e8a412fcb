import os from 'node:os';
import { ApplicationFailure, Context, CancelledFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { PlanKind } from '../bookkeeping/entities.js';
import { recordSkipped } from '../bookkeeping/job-records.js';
import { loadPlanUnits, type PlanUnit } from '../bookkeeping/plans.js';
import { releaseUpdateLock, tryTakeUpdateLock } from '../bookkeeping/update-lock.js';
import type { Orm } from '../db/orm.js';
import { ErrorTypes } from '../errors/index.js';
import type { DropReport } from '../jobs/drop-jobs.js';
import { dropModule, type DropModuleRequest } from '../jobs/drop-module.js';
import { dropOrphans } from '../jobs/drop-orphans.js';
import { runJob } from '../jobs/run-job.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { planUpdate, type PlanRequest } from '../planning/planner.js';
import type { SettleRule } from '../raw/settle.js';
import { storePlan, type StoredPlanSummary } from '../planning/store-plan.js';
import { cancelAndWait, runningExperimentWorkflows, updateIsRunning } from '../temporal/experiment-workflows.js';
import { toActivityFailure } from './failures.js';
import { HEARTBEAT_EVERY_MS, withHeartbeats } from './heartbeat.js';

// Activities adapt between Temporal and the pipeline's own code: they take the activity's context
// (attempt, heartbeats, cancellation), call one function, and turn its errors into failure types.

export interface ActivityDeps {
  orm: Orm;
  registry: ModuleRegistry;
  dataRoots: string[];
  /** Where external modules' files are kept (a removed module's are dropped from there). */
  resultsRoot?: string;
  /** The settle time from the worker's config; the environment's or 60 s when absent. */
  settle?: SettleRule;
  /** Brings external modules' tables in line with their manifests before an update plans. */
  prepareModules?: () => Promise<void>;
  /** For activities that act on other workflows (a drop cancels running experiments first). */
  client?: Client;
  /** Told about every finished job, for metrics. */
  onJobFinished?: (module: string, outcome: 'succeeded' | 'failed' | 'cancelled', seconds: number) => void;
}

export interface PlanAndStoreInput extends PlanRequest {
  updateId: string;
  /** Selection tokens to resolve with this worker's registry instead of `modules`. */
  selection?: string[];
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

/** The same identity the Temporal worker reports, so job records and the Web UI agree. */
export const WORKER_IDENTITY = `${process.pid}@${os.hostname()}`;

/** Activities are built from injected dependencies, so tests run them against a real database. */
export function createActivities(deps: ActivityDeps) {
  const roots = (override?: string[]) => (override?.length ? override : deps.dataRoots);
  // Without a client (tests of activities alone), assume the lock's holder still runs.
  const holderAlive = (holder: string) => (deps.client ? updateIsRunning(deps.client, holder) : Promise.resolve(true));

  const activities = {
    /** Plans an update and stores the plan for the workflow to page through (pruning old plans). */
    async planAndStore(input: PlanAndStoreInput): Promise<PlanAndStoreOutput> {
      try {
        await deps.prepareModules?.();
        const modules = input.selection ? deps.registry.select(input.selection) : input.modules;
        const plan = await planUpdate({ ...deps, dataRoots: roots(input.dataRoots) }, { ...input, modules });
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
      await recordSkipped(deps.orm.em.fork(), input.jobs, input.updateId ?? null);
    },

    /**
     * Takes the update lock, or says who holds it. Waiting is Temporal's retry backoff on
     * `acquireUpdateLock`, not a loop in here: a waiting update must not hold one of the worker's
     * activity slots, or enough queued updates would starve the jobs of the update they wait for.
     */
    async takeUpdateLock(input: { updateId: string }): Promise<{ taken: true } | { taken: false; owner: string }> {
      const result = await tryTakeUpdateLock(deps.orm.em.fork(), input.updateId, holderAlive);
      return result.taken ? { taken: true } : { taken: false, owner: result.holder };
    },

    /** One attempt of the wait for the lock; `waitedFor` stays for histories recorded before the retry-based wait. */
    async acquireUpdateLock(input: { updateId: string }): Promise<{ waitedFor: string[] }> {
      const result = await tryTakeUpdateLock(deps.orm.em.fork(), input.updateId, holderAlive);
      if (!result.taken) {
        throw ApplicationFailure.retryable(
          `update ${result.holder} is running; waiting for it to finish`,
          ErrorTypes.UpdateLockHeld,
        );
      }
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
        return await dropModule(deps.orm, deps.registry, input, { resultsRoot: deps.resultsRoot });
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    /** Drops the results of finished jobs whose raw folder has gone (orphans), each module in one transaction. */
    async dropOrphans(input: { updateId: string }): Promise<number> {
      return dropOrphans(deps.orm, deps.registry, input.updateId);
    },
  };
  return withHeartbeats(activities, 'runModuleJob');
}

export type Activities = ReturnType<typeof createActivities>;
