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
  status: 'status',
  reason: 'reason',
  attempts: 'attempts',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  durationMs: 'duration_ms',
  errorMessage: 'error_message',
  errorType: 'error_type',
  errorStack: 'error_stack',
  sourceFile: 'source_file',
  workerIdentity: 'worker_identity',
  workflowId: 'workflow_id',
  runId: 'run_id',
  updateId: 'update_id',
  inputFingerprint: 'input_fingerprint',
  codeVersion: 'code_version',
  paramsHash: 'params_hash',
  rawSignature: 'raw_signature',
  upstream: 'upstream',
  rowCounts: 'row_counts',
};
const JSON_FIELDS = new Set(['upstream', 'rowCounts']);

/**
 * Inserts or updates the one record of (module, job id); fields left undefined keep their value.
 * Returns the status the record had before (null when there was none).
 */
export async function upsertJobRecord(em: Em, update: JobRecordUpdate): Promise<JobStatus | null> {
  // The CTE reads the snapshot from before the upsert, so one round trip also returns the old status.
  const rows = await query<{ previous: JobStatus | null }>(
    em,
    sql`WITH ${upsertCtes(update)}
    SELECT (SELECT status FROM old) AS previous FROM written`,
  );
  return rows[0]?.previous ?? null;
}

/** `old` (the record's status before) and `written` (the upsert), for statements built around them. */
function upsertCtes(update: JobRecordUpdate) {
  const fields = Object.entries(update).filter(([key, value]) => key in COLUMNS && value !== undefined) as [
    keyof typeof COLUMNS,
    unknown,
  ][];
  const values = fields.map(([key, value]) =>
    JSON_FIELDS.has(key) && value !== null ? sql`${JSON.stringify(value)}::jsonb` : sql`${value}`,
  );
  const columns = fields.map(([key]) => sql.id(COLUMNS[key]));
  const assignments = fields.map(([key]) => sql`${sql.id(COLUMNS[key])} = excluded.${sql.id(COLUMNS[key])}`);
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
 * and reads the upstream jobs' states. The marker is only a progress hint (a crash that loses
 * it loses nothing: the retry writes it again), so its commit does not wait for the disk;
 * set_config(…, true) holds until the end of the statement's own transaction, its commit included.
 */
export async function markRunning(
  em: Em,
  update: JobRecordUpdate,
  wanted: { module: string; jobId: string }[],
): Promise<{ previous: JobStatus | null; upstream: UpstreamState[] }> {
  const rows = await query<{
    previous: JobStatus | null;
    modules: string[] | null;
    job_ids: string[] | null;
    statuses: (JobStatus | null)[] | null;
    finished: (Date | null)[] | null;
  }>(
    em,
    sql`
    WITH ${upsertCtes(update)}, up AS (
      SELECT array_agg(w.module ORDER BY w.n) AS modules, array_agg(w.job_id ORDER BY w.n) AS job_ids,
        array_agg(j.status ORDER BY w.n) AS statuses, array_agg(j.finished_at ORDER BY w.n) AS finished
      FROM unnest(${wanted.map((w) => w.module)}::text[], ${wanted.map((w) => w.jobId)}::text[]) WITH ORDINALITY AS w(module, job_id, n)
      LEFT JOIN pipeline_job j ON j.module = w.module AND j.job_id = w.job_id
    )
    SELECT set_config('synchronous_commit', 'off', true) AS async_commit, (SELECT status FROM old) AS previous, up.*
    FROM written, up`,
  );
  const row = rows[0]!;
  const upstream = (row.modules ?? []).map((module, i) => ({
    module,
    jobId: row.job_ids![i]!,
    status: row.statuses![i] ?? null,
    finishedAt: row.finished![i] ? new Date(row.finished![i]!).toISOString() : null,
  }));
  return { previous: row.previous ?? null, upstream };
}

export interface UpstreamState {
  module: string;
  jobId: string;
  status: JobStatus | null;
  finishedAt: string | null;
}
