import type { Em } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import type { JobStatus } from '../entities/index.js';

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
