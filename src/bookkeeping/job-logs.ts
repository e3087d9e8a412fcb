// All SQL on pipeline_job_log: the log of every attempt of an external module's job.
import { insertRows, type InsertRow } from '../db/entity-rows.js';
import type { Em } from '../db/orm.js';
import { execute, query, sql } from '../db/sql.js';
import { PipelineJobLogSchema } from './entities.js';

export type JobLogEntry = Omit<InsertRow<typeof PipelineJobLogSchema>, 'id' | 'attempt'>;

/** Stores one attempt's log as the job's next attempt (numbered per job); returns that number. */
export async function saveJobLog(em: Em, entry: JobLogEntry): Promise<number> {
  return em.transactional(async (tx) => {
    // Two attempts of one job never run at once, but a lock keeps the numbering safe regardless.
    await execute(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${`${entry.module} ${entry.jobId}`}))`);
    const [{ next }] = await query<{ next: number }>(
      tx,
      sql`SELECT coalesce(max(attempt), 0) + 1 AS next FROM pipeline_job_log WHERE module = ${entry.module} AND job_id = ${entry.jobId}`,
    );
    await insertRows(tx, PipelineJobLogSchema, [{ ...entry, attempt: next! }]);
    return next!;
  });
}

export interface JobLogRow {
  attempt: number;
  temporalAttempt: number;
  workflowId: string | null;
  runId: string | null;
  startedAt: Date;
  endedAt: Date;
  exitCode: number | null;
  signal: string | null;
  outcome: string;
  truncated: boolean;
  text: string;
}

/** The attempts of a job, oldest first, with their logs (one attempt when given). */
export async function jobLogs(em: Em, module: string, jobId: string, attempt?: number): Promise<JobLogRow[]> {
  return query<JobLogRow>(
    em,
    sql`SELECT attempt, temporal_attempt AS "temporalAttempt", workflow_id AS "workflowId", run_id AS "runId",
      started_at AS "startedAt", ended_at AS "endedAt", exit_code AS "exitCode", signal, outcome, truncated, text
    FROM pipeline_job_log WHERE module = ${module} AND job_id = ${jobId}
      AND (${attempt ?? null}::int IS NULL OR attempt = ${attempt ?? null})
    ORDER BY attempt`,
  );
}

export async function deleteJobLogs(em: Em, module: string, jobIds?: string[]): Promise<number> {
  return execute(
    em,
    jobIds
      ? sql`DELETE FROM pipeline_job_log WHERE module = ${module} AND job_id = ANY(${jobIds}::text[])`
      : sql`DELETE FROM pipeline_job_log WHERE module = ${module}`,
  );
}
