import { defineEntity, p } from '@mikro-orm/core';

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
  },
  uniques: [{ properties: ['module', 'jobId'] }],
  indexes: [{ properties: ['status'] }],
});

export class PipelineJob extends PipelineJobSchema.class {}
PipelineJobSchema.setClass(PipelineJob);
