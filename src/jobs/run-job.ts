import type { Orm } from '../db/orm.js';
import type { ConsumedUpstream } from '../bookkeeping/entities.js';
import {
  markRunning,
  recordSucceeded,
  takenOverByAnotherAttempt,
  upsertJobRecord,
  type JobRecordUpdate,
} from '../bookkeeping/job-records.js';
import fs from 'node:fs';
import path from 'node:path';
import { BadInputError, ErrorTypes, IgnoredError, SettlingError, errorTypeOf, sourceFileOf } from '../errors/index.js';
import { settleFromEnv, settleSecondsFor, type SettleRule } from '../raw/settle.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { inputFingerprint, paramsHash, rawSignature, type FingerprintParts } from '../planning/fingerprint.js';
import { resolveJobSource } from '../raw/scan.js';
import { dropJobs, sameScopeDownstream } from './drop-jobs.js';
import { provenanceRecord, rawInputRecords } from './provenance.js';

export interface RunJobRequest {
  module: string;
  jobId: string;
  reason: string;
  updateId?: string;
  workflowId?: string;
  runId?: string;
  attempt: number;
  workerIdentity: string;
}

export interface RunJobResult {
  module: string;
  jobId: string;
  rows: Record<string, number>;
  durationMs: number;
  warnings: string[];
}

export interface RunJobDeps {
  orm: Orm;
  registry: ModuleRegistry;
  dataRoots: string[];
  /** The environment's (or the default) settle time when absent. */
  settle?: SettleRule;
}

export interface RunJobHooks {
  heartbeat(details?: unknown): void;
  signal: AbortSignal;
  isCancellation(error: unknown): boolean;
}

/**
 * Runs one job: its old rows (and every downstream job's rows) are replaced by the new ones and
 * its record is written, all in one transaction, so a retry or a reset never duplicates anything
 * and a failure leaves nothing partial.
 */
export async function runJob(deps: RunJobDeps, request: RunJobRequest, hooks: RunJobHooks): Promise<RunJobResult> {
  const module = deps.registry.get(request.module);
  const started = new Date();
  const cpuAtStart = process.cpuUsage();
  const identity: Omit<JobRecordUpdate, 'status'> = {
    module: request.module,
    jobId: request.jobId,
    reason: request.reason,
    attempts: request.attempt,
    workerIdentity: request.workerIdentity,
    workflowId: request.workflowId ?? null,
    runId: request.runId ?? null,
    updateId: request.updateId ?? null,
  };
  const wanted = module.dependencies.map((dep) => ({
    module: dep,
    jobId: deps.registry.upstreamJobId(module.name, dep, request.jobId),
  }));
  // Known without a query for most modules; their statuses then come with the start statement.
  const downstream = sameScopeDownstream(deps.registry, module.name, request.jobId);
  // One round trip before the work: every per-job query is several ms of latency on a loaded machine.
  const {
    previous: previousStatus,
    upstream: upstreamNow,
    downstream: downstreamStatuses,
  } = await markRunning(
    deps.orm.em.fork(),
    {
      ...identity,
      status: 'running',
      startedAt: started,
      finishedAt: null,
      durationMs: null,
      errorMessage: null,
      errorType: null,
      errorStack: null,
      sourceFile: null,
    },
    wanted,
    downstream,
  );
  let parts: FingerprintParts | undefined;
  try {
    const job = resolveJobSource(deps.dataRoots, request.jobId);
    if (!job)
      throw new BadInputError(
        request.jobId,
        `no folder for this job under the data roots (${deps.dataRoots.join(', ')})`,
      );
    const upstream: Record<string, ConsumedUpstream> = {};
    for (const state of upstreamNow) {
      if (state.status !== 'succeeded')
        throw new BadInputError(
          `${state.module} ${state.jobId}`,
          `upstream job has not succeeded (status: ${state.status ?? 'none'})`,
        );
      upstream[state.module] = { jobId: state.jobId, finishedAt: state.finishedAt };
    }
    const rawFiles = module.rawInputs(job);
    parts = {
      codeVersion: module.version,
      paramsHash: paramsHash(module.params),
      rawSignature: rawSignature(rawFiles),
      upstream,
    };
    const rawRecords = await rawInputRecords(rawFiles);
    const fingerprint = parts;
    return await deps.orm.em.fork().transactional(async (em) => {
      await dropJobs(em, deps.registry, module.name, [request.jobId], {
        keepRootRecords: true,
        rootStatus: previousStatus,
        ...(downstream ? { statuses: downstreamStatuses } : {}),
      });
      const result = await module.process({
        em,
        job,
        params: module.params,
        heartbeat: hooks.heartbeat,
        signal: hooks.signal,
        attempt: request.attempt,
        workflowId: request.workflowId,
        runId: request.runId,
        upstream,
        outside: () => deps.orm.em.fork(),
      });
      const finished = new Date();
      const provenance = provenanceRecord({
        module,
        rawInputs: rawRecords,
        upstream,
        rows: result.rows,
        extra: result.provenance,
        runtime: {
          workerIdentity: request.workerIdentity,
          workflowId: request.workflowId ?? null,
          runId: request.runId ?? null,
          attempt: request.attempt,
          startedAt: started,
          endedAt: finished,
          workerCpuMs: cpuMsSince(cpuAtStart),
        },
      });
      const { leftover } = await recordSucceeded(
        em,
        {
          ...identity,
          status: 'succeeded',
          finishedAt: finished,
          durationMs: finished.getTime() - started.getTime(),
          inputFingerprint: inputFingerprint(fingerprint),
          ...fingerprint,
          rowCounts: result.rows,
          provenance,
          errorMessage: result.warnings?.length ? result.warnings.join('\n') : null,
        },
        downstream ?? [],
      );
      // A downstream record written since the start statement read them: its rows may be stale; roll back, retry.
      if (leftover)
        throw new Error(`${module.name} ${request.jobId}: a downstream job was recorded while this one ran; retrying`);
      return {
        module: module.name,
        jobId: request.jobId,
        rows: result.rows,
        durationMs: finished.getTime() - started.getTime(),
        warnings: result.warnings ?? [],
      };
    });
  } catch (caught) {
    const error = asSettling(caught, deps);
    // A file still being written is not a failure: the attempt is retried and its record stays running.
    if (error instanceof SettlingError) throw error;
    // If the database itself is down the record cannot be written; the original error matters more.
    await recordFailure(deps, { ...identity, ...parts }, started, error, hooks.isCancellation(error)).catch(
      () => undefined,
    );
    throw error;
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** Bad input read from a file changed within the settle time is a file still being written, not bad input. */
function asSettling(error: unknown, deps: RunJobDeps): unknown {
  if (!(error instanceof BadInputError) || error instanceof IgnoredError) return error;
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(error.file).mtimeMs;
  } catch {
    return error;
  }
  const root = deps.dataRoots.find((r) => error.file.startsWith(r + path.sep)) ?? '';
  const seconds = settleSecondsFor(deps.settle ?? settleFromEnv(), root);
  const ageS = (Date.now() - mtimeMs) / 1000;
  return seconds > 0 && ageS < seconds ? new SettlingError(error.file, error.problem, ageS) : error;
}

/**
 * A failed or cancelled job keeps no results, so the results tables always agree with the job
 * records, unless a newer attempt owns the job by now: an attempt whose heartbeat timed out
 * learns it was cancelled only after Temporal has started its retry, which may have succeeded.
 */
async function recordFailure(
  deps: RunJobDeps,
  identity: Omit<JobRecordUpdate, 'status'>,
  started: Date,
  error: unknown,
  cancelled: boolean,
): Promise<void> {
  const finished = new Date();
  const err = error instanceof Error ? error : new Error(String(error));
  await deps.orm.em.fork().transactional(async (em) => {
    const stale = await takenOverByAnotherAttempt(em, {
      module: identity.module,
      jobId: identity.jobId,
      attempts: identity.attempts ?? 0,
      workflowId: identity.workflowId ?? null,
      runId: identity.runId ?? null,
    });
    if (stale) return;
    await dropJobs(em, deps.registry, identity.module, [identity.jobId], { keepRootRecords: true });
    await upsertJobRecord(em, {
      ...identity,
      status: cancelled ? 'cancelled' : 'failed',
      finishedAt: finished,
      durationMs: finished.getTime() - started.getTime(),
      errorMessage: err.message,
      errorType: cancelled ? ErrorTypes.Cancelled : errorTypeOf(error),
      errorStack: err.stack ?? null,
      sourceFile: sourceFileOf(error) ?? null,
      inputFingerprint: null,
      rowCounts: null,
      provenance: null,
    });
  });
}
