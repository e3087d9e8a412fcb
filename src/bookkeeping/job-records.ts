// All SQL on pipeline_job, the one record of every (module, job id). Temporal's history keeps every attempt.
import { tableShape, type InsertRow } from '../db/entity-rows.js';
import type { Em } from '../db/orm.js';
import { execute, query, sql } from '../db/sql.js';
import { ErrorTypes } from '../errors/index.js';
import { PipelineJobSchema, type JobStatus } from './entities.js';

/** Fields of a job record to write; those left undefined keep their value. */
export type JobRecordUpdate = Partial<InsertRow<typeof PipelineJobSchema>> & {
  module: string;
  jobId: string;
  status: JobStatus;
};

export interface JobKey {
  module: string;
  jobId: string;
}

/**
 * Locks the job's record and tells whether another attempt has taken the job over since this
 * one wrote its `running` marker: a later attempt of the same run (this one's heartbeat timed
 * out and Temporal retried it), another run (a reset) or another update. Such a stale attempt
 * must leave the record and the results alone: its failure is not the job's.
 */
export async function takenOverByAnotherAttempt(
  em: Em,
  attempt: JobKey & { attempts: number; workflowId: string | null; runId: string | null },
): Promise<boolean> {
  const [row] = await query<{ attempts: number; workflow_id: string | null; run_id: string | null }>(
    em,
    sql`SELECT attempts, workflow_id, run_id FROM pipeline_job
        WHERE module = ${attempt.module} AND job_id = ${attempt.jobId} FOR UPDATE`,
  );
  if (!row) return false;
  return row.attempts !== attempt.attempts || row.workflow_id !== attempt.workflowId || row.run_id !== attempt.runId;
}

/**
 * Inserts or updates the one record of (module, job id); fields left undefined keep their value.
 * Returns the status the record had before (null when there was none).
 */
export async function upsertJobRecord(em: Em, update: JobRecordUpdate): Promise<JobStatus | null> {
  // The CTE reads the snapshot from before the upsert, so one round trip also returns the old status.
  const rows = await query<{ previous: JobStatus | null }>(
    em,
    sql`WITH ${upsertCtes(em, update)}
    SELECT (SELECT status FROM old) AS previous FROM written`,
  );
  return rows[0]?.previous ?? null;
}

/** `old` (the record's status before) and `written` (the upsert), for statements built around them. */
function upsertCtes(em: Em, update: JobRecordUpdate) {
  const shape = tableShape(em, PipelineJobSchema);
  const fields = Object.entries(update).flatMap(([key, value]) => {
    const column = shape.byProperty.get(key);
    return column && value !== undefined && key !== 'module' && key !== 'jobId' ? [{ column, value }] : [];
  });
  const values = fields.map(({ column, value }) =>
    column.type === 'jsonb' && value !== null ? sql`${JSON.stringify(value)}::jsonb` : sql`${value}`,
  );
  const columns = fields.map(({ column }) => sql.id(column.name));
  const assignments = fields.map(({ column }) => sql`${sql.id(column.name)} = excluded.${sql.id(column.name)}`);
  return sql`old AS (
      SELECT status FROM pipeline_job WHERE module = ${update.module} AND job_id = ${update.jobId}
    ), written AS (
      INSERT INTO pipeline_job (module, job_id, ${sql.join(columns)})
      VALUES (${update.module}, ${update.jobId}, ${sql.join(values)})
      ON CONFLICT (module, job_id) DO UPDATE SET ${sql.join(assignments)}
      RETURNING 1
    )`;
}

/**
 * A job's start in one round trip and one autocommit statement: writes the `running` record
 * and reads the upstream jobs' states and the statuses of the given downstream jobs (keyed by
 * `statusKey`, only those with a record). The marker is only a progress hint (a crash that loses
 * it loses nothing: the retry writes it again), so its commit does not wait for the disk;
 * set_config(…, true) holds until the end of the statement's own transaction, its commit included.
 */
export async function markRunning(
  em: Em,
  update: JobRecordUpdate,
  wanted: JobKey[],
  downstream: JobKey[] = [],
): Promise<{ previous: JobStatus | null; upstream: UpstreamState[]; downstream: Map<string, JobStatus> }> {
  const rows = await query<{
    previous: JobStatus | null;
    modules: string[] | null;
    job_ids: string[] | null;
    statuses: (JobStatus | null)[] | null;
    finished: (Date | null)[] | null;
    down_modules: string[] | null;
    down_job_ids: string[] | null;
    down_statuses: JobStatus[] | null;
  }>(
    em,
    sql`
    WITH ${upsertCtes(em, update)}, up AS (
      SELECT array_agg(w.module ORDER BY w.n) AS modules, array_agg(w.job_id ORDER BY w.n) AS job_ids,
        array_agg(j.status ORDER BY w.n) AS statuses, array_agg(j.finished_at ORDER BY w.n) AS finished
      FROM unnest(${wanted.map((w) => w.module)}::text[], ${wanted.map((w) => w.jobId)}::text[]) WITH ORDINALITY AS w(module, job_id, n)
      LEFT JOIN pipeline_job j ON j.module = w.module AND j.job_id = w.job_id
    ), down AS (
      SELECT array_agg(j.module) AS down_modules, array_agg(j.job_id) AS down_job_ids, array_agg(j.status) AS down_statuses
      FROM unnest(${downstream.map((d) => d.module)}::text[], ${downstream.map((d) => d.jobId)}::text[]) AS d(module, job_id)
      JOIN pipeline_job j ON j.module = d.module AND j.job_id = d.job_id
    )
    SELECT set_config('synchronous_commit', 'off', true) AS async_commit, (SELECT status FROM old) AS previous, up.*, down.*
    FROM written, up, down`,
  );
  const row = rows[0]!;
  const upstream = (row.modules ?? []).map((module, i) => ({
    module,
    jobId: row.job_ids![i]!,
    status: row.statuses![i] ?? null,
    finishedAt: row.finished![i] ? new Date(row.finished![i]!).toISOString() : null,
  }));
  const statuses = new Map(
    (row.down_modules ?? []).map((module, i) => [keyOf(module, row.down_job_ids![i]!), row.down_statuses![i]!]),
  );
  return { previous: row.previous ?? null, upstream, downstream: statuses };
}

/**
 * A job's succeeded record (upsertJobRecord) and, in the same round trip, whether any of `gone`
 * has a record: the caller deleted them all in this transaction, so one that is there was written
 * by someone else after the caller read their statuses, and the caller must roll back.
 */
export async function recordSucceeded(em: Em, update: JobRecordUpdate, gone: JobKey[]): Promise<{ leftover: boolean }> {
  const rows = await query<{ leftover: boolean }>(
    em,
    sql`WITH ${upsertCtes(em, update)}
    SELECT EXISTS (
      SELECT 1 FROM pipeline_job WHERE (module, job_id) IN (
        SELECT * FROM unnest(${gone.map((g) => g.module)}::text[], ${gone.map((g) => g.jobId)}::text[]))
    ) AS leftover FROM written`,
  );
  return { leftover: rows[0]?.leftover ?? false };
}

export interface UpstreamState {
  module: string;
  jobId: string;
  status: JobStatus | null;
  finishedAt: string | null;
}

/** Records skipped because an upstream module failed, with the reason. */
export async function recordSkipped(
  em: Em,
  jobs: (JobKey & { blockedBy: string })[],
  updateId: string | null,
): Promise<void> {
  for (const job of jobs) {
    await upsertJobRecord(em, {
      module: job.module,
      jobId: job.jobId,
      status: 'skipped',
      reason: `upstream-failed:${job.blockedBy}`,
      updateId,
      startedAt: null,
      finishedAt: new Date(),
      durationMs: null,
      errorMessage: `skipped because ${job.blockedBy} failed`,
      errorType: ErrorTypes.Skipped,
      errorStack: null,
      sourceFile: null,
    });
  }
}

const keyOf = (module: string, jobId: string) => `${module}\u0000${jobId}`;

/** The status of every given job that has a record, keyed by `statusKey`, in one query. */
export async function jobStatuses(em: Em, jobs: JobKey[]): Promise<Map<string, JobStatus>> {
  const rows = await query<{ module: string; job_id: string; status: JobStatus }>(
    em,
    sql`SELECT module, job_id, status FROM pipeline_job
    WHERE (module, job_id) IN (SELECT * FROM unnest(${jobs.map((j) => j.module)}::text[], ${jobs.map((j) => j.jobId)}::text[]))`,
  );
  return new Map(rows.map((row) => [keyOf(row.module, row.job_id), row.status]));
}

export const statusKey = (job: JobKey) => keyOf(job.module, job.jobId);

export async function deleteJobRecords(em: Em, jobs: JobKey[]): Promise<void> {
  if (jobs.length === 0) return;
  await execute(
    em,
    sql`DELETE FROM pipeline_job WHERE (module, job_id) IN (
      SELECT * FROM unnest(${jobs.map((r) => r.module)}::text[], ${jobs.map((r) => r.jobId)}::text[]))`,
  );
}

/** Deletes the records that still have the status the caller read (the others stay, for the caller to notice). */
export async function deleteJobRecordsIfStatus(em: Em, jobs: (JobKey & { status: JobStatus })[]): Promise<void> {
  if (jobs.length === 0) return;
  await execute(
    em,
    sql`DELETE FROM pipeline_job WHERE (module, job_id, status) IN (
      SELECT * FROM unnest(${jobs.map((r) => r.module)}::text[], ${jobs.map((r) => r.jobId)}::text[], ${jobs.map((r) => r.status)}::text[]))`,
  );
}

/** Job ids of a module that have a record, all of them or only those given. */
export async function recordedJobIds(em: Em, module: string, only?: string[]): Promise<string[]> {
  const rows = await query<{ job_id: string }>(
    em,
    only
      ? sql`SELECT job_id FROM pipeline_job WHERE module = ${module} AND job_id = ANY(${only}::text[])`
      : sql`SELECT job_id FROM pipeline_job WHERE module = ${module}`,
  );
  return rows.map((row) => row.job_id);
}

/** Recorded per-experiment jobs of a module whose slice is one of these. */
export async function recordedJobIdsInSlices(em: Em, module: string, slices: string[]): Promise<string[]> {
  const rows = await query<{ job_id: string }>(
    em,
    sql`SELECT job_id FROM pipeline_job WHERE module = ${module} AND split_part(job_id, '/', 1) = ANY(${slices}::text[])`,
  );
  return rows.map((row) => row.job_id);
}

/** How many records each module has in each status. */
export async function statusCounts(em: Em): Promise<{ module: string; status: JobStatus; n: number }[]> {
  const rows = await query<{ module: string; status: JobStatus; n: string }>(
    em,
    sql`SELECT module, status, count(*) AS n FROM pipeline_job GROUP BY module, status`,
  );
  return rows.map((row) => ({ ...row, n: Number(row.n) }));
}

export interface JobRecordRow {
  module: string;
  job_id: string;
  status: JobStatus;
  reason: string | null;
  error_type: string | null;
  error_message: string | null;
  source_file: string | null;
  attempts: number;
  finished_at: Date | null;
  duration_ms: number | null;
  workflow_id: string | null;
  run_id: string | null;
}

/** Failed jobs, newest first, optionally of one module or one experiment (and its slice). */
export async function failedJobRecords(
  em: Em,
  filter: { module?: string; jobIds?: string[] },
): Promise<JobRecordRow[]> {
  return query<JobRecordRow>(
    em,
    sql`SELECT * FROM pipeline_job WHERE status = 'failed'
    AND (${filter.module ?? null}::text IS NULL OR module = ${filter.module ?? null})
    AND (${filter.jobIds ?? null}::text[] IS NULL OR job_id = ANY(${filter.jobIds ?? null}::text[]))
    ORDER BY finished_at DESC NULLS LAST, module, job_id`,
  );
}

/** Every job record, for views that show the whole database (the report). */
export async function allJobRecords(em: Em): Promise<JobRecordRow[]> {
  return query<JobRecordRow>(em, sql`SELECT * FROM pipeline_job`);
}

/** Every record of these job ids (an experiment and its slice). */
export async function jobRecordsOf(em: Em, jobIds: string[]): Promise<JobRecordRow[]> {
  return query<JobRecordRow>(em, sql`SELECT * FROM pipeline_job WHERE job_id = ANY(${jobIds}::text[])`);
}

export interface CandidateRow {
  jobId: string;
  rawSignature: string;
  /** The upstream job this candidate consumes, per dependency. */
  upstream: Record<string, string>;
}

export interface UpstreamFacts {
  jobId: string;
  status: JobStatus | null;
  /** The upstream job finished at another time than the one this job's last run consumed. */
  changed: boolean;
}

export interface PlanRow {
  jobId: string;
  /** Null for an orphan: a record whose job is no longer a candidate. */
  candidateRaw: string | null;
  status: JobStatus | null;
  codeVersion: string | null;
  paramsHash: string | null;
  rawSignature: string | null;
  upstream: Record<string, UpstreamFacts>;
}

interface Flat {
  cand_job: string | null;
  cand_raw: string | null;
  job_id: string | null;
  status: JobStatus | null;
  code_version: string | null;
  params_hash: string | null;
  raw_signature: string | null;
  dep_module: string | null;
  dep_job_id: string | null;
  dep_status: JobStatus | null;
  dep_changed: boolean | null;
}

/**
 * One set-based query per module: every candidate joined with its own record and, one row per
 * dependency, its upstream record — compared in SQL with what the last run consumed — plus the
 * module's records that are no longer candidates (orphans).
 */
export async function loadPlanRows(em: Em, module: string, candidates: CandidateRow[]): Promise<PlanRow[]> {
  const depModules = [...new Set(candidates.flatMap((c) => Object.keys(c.upstream)))];
  const depJob: string[] = [];
  const depModule: string[] = [];
  const depUpstream: string[] = [];
  for (const candidate of candidates) {
    for (const [dep, upstreamId] of Object.entries(candidate.upstream)) {
      depJob.push(candidate.jobId);
      depModule.push(dep);
      depUpstream.push(upstreamId);
    }
  }
  const flat = await query<Flat>(
    em,
    sql`
    WITH cand AS (
      SELECT * FROM unnest(${candidates.map((c) => c.jobId)}::text[], ${candidates.map((c) => c.rawSignature)}::text[]) AS c(job_id, raw)
    ), dep AS (
      SELECT * FROM unnest(${depJob}::text[], ${depModule}::text[], ${depUpstream}::text[]) AS d(job_id, dep_module, dep_job_id)
    ), own AS (
      SELECT job_id, status, code_version, params_hash, raw_signature, upstream FROM pipeline_job WHERE module = ${module}
    ), up AS (
      SELECT module, job_id, status, finished_at FROM pipeline_job WHERE module = ANY(${depModules}::text[])
    )
    SELECT c.job_id AS cand_job, c.raw AS cand_raw, own.job_id, own.status, own.code_version, own.params_hash, own.raw_signature,
           d.dep_module, d.dep_job_id, u.status AS dep_status,
           ((own.upstream -> d.dep_module ->> 'jobId') IS DISTINCT FROM d.dep_job_id
             OR (own.upstream -> d.dep_module ->> 'finishedAt')::timestamptz IS DISTINCT FROM u.finished_at) AS dep_changed
    FROM cand c
    FULL JOIN own ON own.job_id = c.job_id
    LEFT JOIN dep d ON d.job_id = c.job_id
    LEFT JOIN up u ON u.module = d.dep_module AND u.job_id = d.dep_job_id`,
  );
  const rows = new Map<string, PlanRow>();
  for (const f of flat) {
    const jobId = (f.cand_job ?? f.job_id)!;
    let row = rows.get(jobId);
    if (!row) {
      row = {
        jobId,
        candidateRaw: f.cand_job === null ? null : (f.cand_raw ?? ''),
        status: f.status,
        codeVersion: f.code_version,
        paramsHash: f.params_hash,
        rawSignature: f.raw_signature,
        upstream: {},
      };
      rows.set(jobId, row);
    }
    if (f.dep_module)
      row.upstream[f.dep_module] = { jobId: f.dep_job_id!, status: f.dep_status, changed: f.dep_changed ?? true };
  }
  return [...rows.values()];
}

/** A job's provenance record with its status; undefined when the job has no record. */
export async function jobProvenance(
  em: Em,
  module: string,
  jobId: string,
): Promise<{ status: JobStatus; provenance: Record<string, unknown> | null } | undefined> {
  const rows = await query<{ status: JobStatus; provenance: Record<string, unknown> | null }>(
    em,
    sql`SELECT status, provenance FROM pipeline_job WHERE module = ${module} AND job_id = ${jobId}`,
  );
  return rows[0];
}
