import type { Em } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import type { ConsumedUpstream, JobStatus } from '../entities/index.js';

export interface JobRecordUpdate {
  module: string;
  jobId: string;
  status: JobStatus;
  reason?: string | null;
  attempts?: number;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  durationMs?: number | null;
  errorMessage?: string | null;
  errorType?: string | null;
  errorStack?: string | null;
  sourceFile?: string | null;
  workerIdentity?: string | null;
  workflowId?: string | null;
  runId?: string | null;
  updateId?: string | null;
  inputFingerprint?: string | null;
  codeVersion?: string | null;
  paramsHash?: string | null;
  rawSignature?: string | null;
  upstream?: Record<string, ConsumedUpstream> | null;
  rowCounts?: Record<string, number> | null;
}

const COLUMNS: Record<keyof Omit<JobRecordUpdate, 'module' | 'jobId'>, string> = {
  status: 'status', reason: 'reason', attempts: 'attempts', startedAt: 'started_at', finishedAt: 'finished_at',
  durationMs: 'duration_ms', errorMessage: 'error_message', errorType: 'error_type', errorStack: 'error_stack',
  sourceFile: 'source_file', workerIdentity: 'worker_identity', workflowId: 'workflow_id', runId: 'run_id',
  updateId: 'update_id', inputFingerprint: 'input_fingerprint', codeVersion: 'code_version', paramsHash: 'params_hash',
  rawSignature: 'raw_signature', upstream: 'upstream', rowCounts: 'row_counts',
};
const JSON_FIELDS = new Set(['upstream', 'rowCounts']);

/**
 * Inserts or updates the one record of (module, job id); fields left undefined keep their value.
 * Returns the status the record had before (null when there was none).
 */
export async function upsertJobRecord(em: Em, update: JobRecordUpdate): Promise<JobStatus | null> {
  const fields = Object.entries(update).filter(([key, value]) => key in COLUMNS && value !== undefined) as [keyof typeof COLUMNS, unknown][];
  const values = fields.map(([key, value]) => (JSON_FIELDS.has(key) && value !== null ? sql`${JSON.stringify(value)}::jsonb` : sql`${value}`));
  const columns = fields.map(([key]) => sql.id(COLUMNS[key]));
  const assignments = fields.map(([key]) => sql`${sql.id(COLUMNS[key])} = excluded.${sql.id(COLUMNS[key])}`);
  // The CTE reads the snapshot from before the upsert, so one round trip also returns the old status.
  const rows = await query<{ previous: JobStatus | null }>(em, sql`WITH old AS (
      SELECT status FROM pipeline_job WHERE module = ${update.module} AND job_id = ${update.jobId}
    )
    INSERT INTO pipeline_job (module, job_id, ${sql.join(columns)})
    VALUES (${update.module}, ${update.jobId}, ${sql.join(values)})
    ON CONFLICT (module, job_id) DO UPDATE SET ${sql.join(assignments)}
    RETURNING (SELECT status FROM old) AS previous`);
  return rows[0]?.previous ?? null;
}

export interface UpstreamState {
  module: string;
  jobId: string;
  status: JobStatus | null;
  finishedAt: string | null;
}

/** The current state of the given upstream jobs, in one query. */
export async function upstreamStates(em: Em, wanted: { module: string; jobId: string }[]): Promise<UpstreamState[]> {
  if (wanted.length === 0) return [];
  const rows = await query<{ module: string; job_id: string; status: JobStatus | null; finished_at: Date | null }>(em, sql`
    SELECT w.module, w.job_id, j.status, j.finished_at
    FROM unnest(${wanted.map((w) => w.module)}::text[], ${wanted.map((w) => w.jobId)}::text[]) AS w(module, job_id)
    LEFT JOIN pipeline_job j ON j.module = w.module AND j.job_id = w.job_id`);
  return rows.map((row) => ({ module: row.module, jobId: row.job_id, status: row.status, finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null }));
}
