import type { Em } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import type { ConsumedUpstream, JobStatus } from '../entities/index.js';

export interface CandidateRow {
  jobId: string;
  rawSignature: string;
  /** The upstream job this candidate consumes, per dependency. */
  upstream: Record<string, string>;
}

export interface PlanRow {
  jobId: string;
  /** Null for an orphan: a record whose job is no longer a candidate. */
  candidateRaw: string | null;
  status: JobStatus | null;
  codeVersion: string | null;
  paramsHash: string | null;
  rawSignature: string | null;
  consumed: Record<string, ConsumedUpstream> | null;
  upstream: Record<string, { jobId: string; status: JobStatus | null; finishedAt: string | null }> | null;
}

/**
 * One set-based query per module: every candidate joined with its own record and its upstream
 * records, plus the module's records that are no longer candidates (orphans).
 */
export async function loadPlanRows(em: Em, module: string, candidates: CandidateRow[]): Promise<PlanRow[]> {
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
  const rows = await query<{
    cand_job: string | null; cand_raw: string | null; job_id: string | null; status: JobStatus | null; code_version: string | null;
    params_hash: string | null; raw_signature: string | null; consumed: PlanRow['consumed']; upstream: PlanRow['upstream'];
  }>(em, sql`
    WITH cand AS (
      SELECT * FROM unnest(${candidates.map((c) => c.jobId)}::text[], ${candidates.map((c) => c.rawSignature)}::text[]) AS c(job_id, raw)
    ), dep AS (
      SELECT * FROM unnest(${depJob}::text[], ${depModule}::text[], ${depUpstream}::text[]) AS d(job_id, dep_module, dep_job_id)
    ), up AS (
      SELECT d.job_id, jsonb_object_agg(d.dep_module, jsonb_build_object('jobId', d.dep_job_id, 'status', u.status, 'finishedAt', u.finished_at)) AS upstream
      FROM dep d LEFT JOIN pipeline_job u ON u.module = d.dep_module AND u.job_id = d.dep_job_id
      GROUP BY d.job_id
    ), own AS (
      SELECT * FROM pipeline_job WHERE module = ${module}
    )
    SELECT c.job_id AS cand_job, c.raw AS cand_raw, own.job_id, own.status, own.code_version, own.params_hash,
           own.raw_signature, own.upstream AS consumed, up.upstream
    FROM cand c
    FULL JOIN own ON own.job_id = c.job_id
    LEFT JOIN up ON up.job_id = c.job_id`);
  return rows.map((row) => ({
    jobId: (row.cand_job ?? row.job_id)!,
    candidateRaw: row.cand_job === null ? null : row.cand_raw ?? '',
    status: row.status,
    codeVersion: row.code_version,
    paramsHash: row.params_hash,
    rawSignature: row.raw_signature,
    consumed: row.consumed,
    upstream: row.upstream,
  }));
}
