import type { ModuleOutcome, UpdateProgress, UpdateState } from '../workflow-safe/workflow-types.js';

/** Failures kept in the progress report; the rest are in `mpctl failures`. */
const MAX_LISTED_FAILURES = 50;

export function initialState(updateId: string, startedAt: number): UpdateState {
  return {
    progress: {
      updateId,
      phase: 'waiting',
      startedAt,
      sliceJobs: { total: 0, done: 0, failed: 0 },
      experiments: { total: 0, done: 0, succeeded: 0, failed: 0, notStarted: 0, running: 0 },
      modules: {},
      failures: [],
      warnings: [],
      orphanJobs: 0,
      runs: 1,
    },
    cursor: { slice: 0, experiment: 0 },
    failedSlices: [],
    graph: {},
  };
}

export function countPlanned(progress: UpdateProgress, byModule: Record<string, number>): void {
  for (const [module, planned] of Object.entries(byModule)) {
    progress.modules[module] = { planned, succeeded: 0, failed: 0, skipped: 0 };
  }
}

export function countOutcome(progress: UpdateProgress, module: string, outcome: ModuleOutcome): void {
  const counts = (progress.modules[module] ??= { planned: 0, succeeded: 0, failed: 0, skipped: 0 });
  if (outcome === 'succeeded') counts.succeeded++;
  else if (outcome === 'failed') counts.failed++;
  else counts.skipped++;
}

export function noteFailure(
  progress: UpdateProgress,
  experimentId: string,
  failedModules: string[],
  message: string,
): void {
  if (progress.failures.length < MAX_LISTED_FAILURES) progress.failures.push({ experimentId, failedModules, message });
}
