// The pipeline's own tables: one record per job, and the stored plans of updates.
import { defineEntity, p } from '@mikro-orm/core';
import type { PlannedJob } from '../workflow-safe/workflow-types.js';

/** A unit of a stored plan: one slice job, one experiment's jobs, or one module's orphaned jobs to drop. */
export type PlanKind = 'slice' | 'experiment' | 'orphan';

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** What a job consumed from one upstream module: used to tell when that upstream finished again. */
export interface ConsumedUpstream {
  jobId: string;
  finishedAt: string | null;
}

/** The latest record of one (module, job id); Temporal's history keeps every attempt. */
export const PipelineJobSchema = defineEntity({
  name: 'PipelineJob',
  tableName: 'pipeline_job',
  properties: {
    id: p.integer().primary().autoincrement(),
    module: p.string().length(64),
    jobId: p.string().length(512),
    status: p.string().length(16).$type<JobStatus>(),
    reason: p.string().length(128).nullable(),
    errorMessage: p.text().nullable(),
    errorType: p.string().length(64).nullable(),
    errorStack: p.text().nullable(),
    sourceFile: p.text().nullable(),
    attempts: p.integer().default(0),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
    durationMs: p.integer().nullable(),
    workerIdentity: p.string().length(255).nullable(),
    workflowId: p.string().length(600).nullable(),
    runId: p.string().length(64).nullable(),
    updateId: p.string().length(255).nullable(),
    inputFingerprint: p.string().length(64).nullable(),
    codeVersion: p.string().length(64).nullable(),
    paramsHash: p.string().length(64).nullable(),
    rawSignature: p.string().length(64).nullable(),
    upstream: p.json<Record<string, ConsumedUpstream>>().nullable(),
    rowCounts: p.json<Record<string, number>>().nullable(),
    /** What produced the current result: code, parameters, inputs, outputs and where it ran. */
    provenance: p.json<Record<string, unknown>>().nullable(),
  },
  uniques: [{ properties: ['module', 'jobId'] }],
  indexes: [{ properties: ['status'] }],
});

export class PipelineJob extends PipelineJobSchema.class {}
PipelineJobSchema.setClass(PipelineJob);

/**
 * One unit of an update's plan: a slice job, or one experiment's jobs. Plans live here, not in
 * workflow payloads, so an update over thousands of experiments stays far below Temporal's size limits.
 */
export const PipelinePlanSchema = defineEntity({
  name: 'PipelinePlan',
  tableName: 'pipeline_plan',
  properties: {
    id: p.integer().primary().autoincrement(),
    updateId: p.string().length(255),
    kind: p.string().length(16).$type<PlanKind>(),
    seq: p.integer(),
    key: p.string().length(512),
    jobs: p.json<PlannedJob[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['updateId', 'kind', 'seq'] }],
});

export class PipelinePlan extends PipelinePlanSchema.class {}
PipelinePlanSchema.setClass(PipelinePlan);

/**
 * The update lock: at most one row per lock name, held by the update that runs. Updates run one
 * at a time, so no job runs twice and no slice re-run cascades over results another update wrote.
 */
export const PipelineLockSchema = defineEntity({
  name: 'PipelineLock',
  tableName: 'pipeline_lock',
  properties: {
    name: p.string().length(32).primary(),
    holder: p.string().length(255),
    takenAt: p.datetime(),
  },
});

export class PipelineLock extends PipelineLockSchema.class {}
PipelineLockSchema.setClass(PipelineLock);

/**
 * The external modules the database has tables for, as they were declared: a table declaration
 * that changed without a version bump is refused, and a module whose folder is gone is `removed`.
 */
export const PipelineModuleSchema = defineEntity({
  name: 'PipelineModule',
  tableName: 'pipeline_module',
  properties: {
    name: p.string().length(64).primary(),
    version: p.string().length(64),
    origin: p.text(),
    tablesHash: p.string().length(64),
    tables: p.json<Record<string, unknown>>(),
    registeredAt: p.datetime(),
  },
});

export class PipelineModuleRecord extends PipelineModuleSchema.class {}
PipelineModuleSchema.setClass(PipelineModuleRecord);

/** The whole log (bounded) of every attempt of an external module's job. */
export const PipelineJobLogSchema = defineEntity({
  name: 'PipelineJobLog',
  tableName: 'pipeline_job_log',
  properties: {
    id: p.integer().primary().autoincrement(),
    module: p.string().length(64),
    jobId: p.string().length(512),
    /** 1, 2, … over every run of this job, across updates and resets. */
    attempt: p.integer(),
    temporalAttempt: p.integer(),
    workflowId: p.string().length(600).nullable(),
    runId: p.string().length(64).nullable(),
    startedAt: p.datetime(),
    endedAt: p.datetime(),
    exitCode: p.integer().nullable(),
    signal: p.string().length(16).nullable(),
    outcome: p.string().length(32),
    truncated: p.boolean(),
    text: p.text(),
  },
  uniques: [{ properties: ['module', 'jobId', 'attempt'] }],
});

export class PipelineJobLog extends PipelineJobLogSchema.class {}
PipelineJobLogSchema.setClass(PipelineJobLog);

export const bookkeepingEntities = [
  PipelineJobSchema,
  PipelinePlanSchema,
  PipelineLockSchema,
  PipelineModuleSchema,
  PipelineJobLogSchema,
];
