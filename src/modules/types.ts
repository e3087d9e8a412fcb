import type { Em } from '../db/orm.js';

/** What a job id names: one slice folder, or one site folder (an experiment). */
export type JobScope = 'slice' | 'experiment';

/** Where a job's raw files are: always a folder inside one of the configured data roots. */
export interface JobSource {
  jobId: string;
  root: string;
  dir: string;
}

export interface ProcessContext {
  /** Transactional EntityManager: the job's rows and its job record commit together or not at all. */
  em: Em;
  job: JobSource;
  /** Reports progress and lets cancellation reach long jobs. */
  heartbeat(details?: unknown): void;
  signal: AbortSignal;
}

export interface ProcessResult {
  /** Rows written per owned table. */
  rows: Record<string, number>;
  warnings?: string[];
}

/** A pipeline step: a folder under src/modules plus one line in the registry. */
export interface PipelineModule {
  name: string;
  dependencies: string[];
  /** Bump when results would change: every job of this module and its downstream becomes `code-changed`. */
  version: string;
  /** The tables this module owns; it writes no others. */
  tables: string[];
  /** Analysis parameters; part of the input fingerprint. */
  params?: Record<string, unknown>;
  scope: JobScope;
  /** Files under the job's folder that the job reads; their sizes and mtimes are its raw signature. */
  rawInputs(job: JobSource): string[];
  /** Writes this job's rows (the framework has already removed the old ones). */
  process(ctx: ProcessContext): Promise<ProcessResult>;
  /** Deletes this module's rows for these jobs; returns rows deleted per table. */
  drop(em: Em, jobIds: string[]): Promise<Record<string, number>>;
}
