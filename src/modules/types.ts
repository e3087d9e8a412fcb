import type { AnySchema } from '../db/entity-rows.js';
import type { Em } from '../db/orm.js';
import type { JobSource } from '../raw/job-source.js';

/** What a job id names: one slice folder, or one site folder (an experiment). */
export type JobScope = 'slice' | 'experiment';

/** The table whose row is the job itself; every other table a module owns points at it. */
export const JOB_TABLE: Record<JobScope, string> = { slice: 'slice', experiment: 'experiment' };

/** A module's analysis parameters: plain JSON, part of every job's fingerprint. */
export type ModuleParams = Record<string, unknown>;

export interface ProcessContext<P extends ModuleParams = ModuleParams> {
  /** Transactional EntityManager: the job's rows and its job record commit together or not at all. */
  em: Em;
  job: JobSource;
  params: P;
  /** Reports progress and lets cancellation reach long jobs. */
  heartbeat(details?: unknown): void;
  signal: AbortSignal;
  /** Temporal's attempt number of this job's activity (1 on the first run). */
  attempt: number;
  workflowId?: string;
  runId?: string;
  /** The upstream jobs this job consumes, with their finish times. */
  upstream: Record<string, { jobId: string; finishedAt: string | null }>;
  /** Opens a unit of work outside the job's transaction, for what must survive its failure (logs). */
  outside(): Em;
}

export interface ProcessResult {
  /** Rows written per owned table. */
  rows: Record<string, number>;
  warnings?: string[];
  /** What the module adds to the job's provenance record (an external program's exit, memory, files). */
  provenance?: Record<string, unknown>;
}

/** What a module folder declares (its index.ts); `defineModule` derives the rest. */
export interface ModuleDeclaration<P extends ModuleParams = ModuleParams> {
  name: string;
  dependencies: string[];
  /** Bump when results would change: every job of this module and its downstream becomes `code-changed`. */
  version: string;
  scope: JobScope;
  /** The entities of the tables this module owns; it writes no others. */
  entities: AnySchema[];
  /** Handed to process(); changing them makes the module's jobs `params-changed`. */
  params?: P;
  /** Files under the job's folder that the job reads; their sizes and mtimes are its raw signature. */
  rawInputs?(job: JobSource): string[];
  /** The Temporal task queue its jobs run on, if not mpctl's own (a worker pool with what it needs). */
  taskQueue?: string;
  /** Writes this job's rows (the framework has already removed the old ones). */
  process(ctx: ProcessContext<P>): Promise<ProcessResult>;
  /** Deletes this module's rows for these jobs; derived from the entities unless given. */
  drop?(em: Em, jobIds: string[], options?: RowDropOptions): Promise<Record<string, number>>;
}

export interface RowDropOptions {
  /**
   * Leave files kept outside the database alone: a dry run deletes rows inside a transaction it
   * rolls back, and a file removed there could not be brought back.
   */
  keepFiles?: boolean;
}

/** A pipeline step, as the registry and the job runner use it. */
export interface PipelineModule<P extends ModuleParams = ModuleParams> extends ModuleDeclaration<P> {
  params: P;
  /** The owned tables, from the entities. */
  tables: string[];
  rawInputs(job: JobSource): string[];
  drop(em: Em, jobIds: string[], options?: RowDropOptions): Promise<Record<string, number>>;
}
