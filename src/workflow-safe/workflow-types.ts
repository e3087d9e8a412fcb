// Workflow signatures shared by the CLI (which starts workflows by name) and the workflow code,
// kept free of worker imports so the CLI never loads workflow or activity code.

/** One job of an update's plan: which module, which job, and why it runs. */
export interface PlannedJob {
  module: string;
  jobId: string;
  reason: string;
  /** The task queue of the module's activity, when it names one (external modules' `taskQueue`). */
  taskQueue?: string;
}

export const WorkflowNames = {
  pipelineUpdate: 'pipelineUpdate',
  processExperiment: 'processExperiment',
  dropResults: 'dropResults',
} as const;

export type ModuleOutcome = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface PipelineUpdateInput {
  /** Empty when a Schedule starts the update: the workflow id (unique per scheduled run) gives it. */
  updateId: string;
  modules: string[];
  /** Selection tokens resolved by the worker's registry when the update plans (schedules: modules added later are included). */
  selection?: string[];
  experimentIds?: string[];
  limit?: number;
  retry?: boolean;
  force?: boolean;
  /** Experiments processed at once. */
  parallel: number;
  /** Data roots chosen by the caller; the worker's own roots when absent. */
  dataRoots?: string[];
  /** Carried across continue-as-new. */
  state?: UpdateState;
}

export interface ModuleCounts {
  planned: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

export interface ExperimentFailure {
  experimentId: string;
  failedModules: string[];
  message: string;
}

export interface UpdateProgress {
  updateId: string;
  phase: 'waiting' | 'planning' | 'dropping-orphans' | 'slices' | 'experiments' | 'done';
  startedAt: number;
  sliceJobs: { total: number; done: number; failed: number };
  experiments: { total: number; done: number; succeeded: number; failed: number; notStarted: number; running: number };
  modules: Record<string, ModuleCounts>;
  failures: ExperimentFailure[];
  warnings: string[];
  orphanJobs: number;
  runs: number;
}

export interface UpdateState {
  progress: UpdateProgress;
  /** Next plan unit to read, per kind. */
  cursor: { slice: number; experiment: number };
  failedSlices: string[];
  /** Module → its dependencies, as the worker's registry declares them. */
  graph: Record<string, string[]>;
}

export type PipelineUpdateResult = UpdateProgress;

export interface ProcessExperimentInput {
  experimentId: string;
  updateId?: string;
  /** Jobs of this experiment, in dependency order; dependencies among them come with each job. */
  jobs: (PlannedJob & { dependencies: string[] })[];
  /**
   * Set by every parent that sets MpctlStatus=running when it starts the child. Deciding by
   * input rather than by patched() saves each run a marker and a TemporalChangeVersion upsert
   * (a visibility write); runs started without it keep the patched() path, so they replay.
   */
  statusSetByParent?: boolean;
}

export interface ProcessExperimentResult {
  experimentId: string;
  modules: Record<string, ModuleOutcome>;
}

export type PipelineUpdateWorkflow = (input: PipelineUpdateInput) => Promise<PipelineUpdateResult>;
export type ProcessExperimentWorkflow = (input: ProcessExperimentInput) => Promise<ProcessExperimentResult>;

export const progressQueryName = 'progress';

export interface DropResultsInput {
  dropId: string;
  module: string;
  experimentIds?: string[];
}

export interface DropResultsResult {
  modules: Record<string, { jobs: number; rows: Record<string, number> }>;
  cancelledWorkflows: string[];
}

export type DropResultsWorkflow = (input: DropResultsInput) => Promise<DropResultsResult>;
