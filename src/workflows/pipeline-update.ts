import {
  ChildWorkflowFailure,
  ParentClosePolicy,
  ChildWorkflowCancellationType,
  WorkflowIdReusePolicy,
  continueAsNew,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
  defineQuery,
  isCancellation,
  upsertSearchAttributes,
  CancellationScope,
  ContinueAsNew,
  patched,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities/index.js';
import { experimentWorkflowId, sliceOf, updateIdOfWorkflow } from '../workflow-safe/job-ids.js';
import { SearchAttributes } from '../workflow-safe/search-attributes.js';
import {
  progressQueryName,
  type ModuleOutcome,
  type PlannedJob,
  type PipelineUpdateInput,
  type PipelineUpdateResult,
  type PipelineUpdateWorkflow,
  type UpdateProgress,
  type UpdateState,
} from '../workflow-safe/workflow-types.js';
import { bookkeepingOptions, moduleJobOptions } from './activity-options.js';
import { messageOf } from './failure-message.js';
import { processExperiment } from './process-experiment.js';
import { countOutcome, countPlanned, initialState, noteFailure } from './update-progress.js';

export const progressQuery = defineQuery<UpdateProgress>(progressQueryName);

const { planAndStore, loadPlanUnits, dropOrphans, releaseUpdateLock } = proxyActivities<Activities>(bookkeepingOptions);
const { takeUpdateLock } = proxyActivities<Activities>({ ...bookkeepingOptions, summary: 'take the update lock' });
// Each attempt checks once and fails while another update runs; the retry backoff is the wait,
// so a waiting update holds no worker slot and adds no history events.
const { acquireUpdateLock } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: bookkeepingOptions.heartbeatTimeout,
  scheduleToCloseTimeout: '7 days',
  summary: 'wait for other updates',
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '10 seconds' },
});
const { acquireUpdateLock: acquireUpdateLockV1 } = proxyActivities<Activities>({
  startToCloseTimeout: '7 days',
  heartbeatTimeout: '30 seconds',
  summary: 'wait for other updates',
});
const sliceJob = (jobId: string) =>
  proxyActivities<Activities>({ ...moduleJobOptions, summary: `slice · ${jobId}` }).runModuleJob;

const PAGE = 100;
/** Continue-as-new well before Temporal's 51,200-event limit; each experiment costs about 8 events. */
const MAX_HISTORY_EVENTS = 10_000;

/**
 * One `mpctl update`: plan, drop orphans, run the slice jobs, then one processExperiment child
 * per experiment with at most `parallel` in flight. Progress is readable through a query.
 */
export const pipelineUpdate: PipelineUpdateWorkflow = async (
  given: PipelineUpdateInput,
): Promise<PipelineUpdateResult> => {
  // A Schedule passes the same input to every run; the run's own workflow id names the update.
  const input = given.updateId ? given : { ...given, updateId: updateIdOfWorkflow(workflowInfo().workflowId) };
  const state: UpdateState = input.state ?? initialState(input.updateId, Date.now());
  const progress = state.progress;
  setHandler(progressQuery, () => progress);
  upsertSearchAttributes([
    { key: SearchAttributes.updateId, value: input.updateId },
    { key: SearchAttributes.status, value: 'running' },
  ]);
  try {
    return await runUpdate(input, state);
  } catch (error) {
    if (!isContinueAsNew(error))
      await CancellationScope.nonCancellable(() => releaseUpdateLock({ updateId: input.updateId }));
    throw error;
  }
};

async function runUpdate(input: PipelineUpdateInput, state: UpdateState): Promise<PipelineUpdateResult> {
  const progress = state.progress;
  if (progress.phase === 'waiting') {
    await waitForUpdateLock(input.updateId, progress);
    progress.phase = 'planning';
  }
  if (progress.phase === 'planning') {
    const summary = await planAndStore({
      updateId: input.updateId,
      modules: input.modules,
      ...(input.selection ? { selection: input.selection } : {}),
      experimentIds: input.experimentIds,
      limit: input.limit,
      retry: input.retry,
      force: input.force,
      dataRoots: input.dataRoots,
    });
    countPlanned(progress, summary.byModule);
    state.graph = summary.graph;
    progress.sliceJobs.total = summary.sliceJobs;
    progress.experiments.total = summary.experiments;
    progress.orphanJobs = summary.orphanJobs;
    progress.warnings.push(...summary.warnings);
    progress.phase = summary.orphanJobs > 0 ? 'dropping-orphans' : 'slices';
  }
  if (progress.phase === 'dropping-orphans') {
    await dropOrphans({ updateId: input.updateId });
    progress.phase = 'slices';
  }
  if (progress.phase === 'slices') {
    await runSliceJobs(input, state);
    progress.phase = 'experiments';
  }
  if (progress.phase === 'experiments') {
    const finished = await runExperiments(input, state);
    if (!finished) {
      progress.runs++;
      return continueAsNew<PipelineUpdateWorkflow>({ ...input, state });
    }
  }
  progress.phase = 'done';
  await releaseUpdateLock({ updateId: input.updateId });
  upsertSearchAttributes([
    {
      key: SearchAttributes.status,
      value: progress.experiments.failed + progress.sliceJobs.failed > 0 ? 'failed' : 'succeeded',
    },
  ]);
  return progress;
}

async function waitForUpdateLock(updateId: string, progress: UpdateProgress): Promise<void> {
  if (!patched('update-lock-wait-by-retry')) {
    const { waitedFor } = await acquireUpdateLockV1({ updateId });
    if (waitedFor.length) progress.warnings.push(`waited for update ${waitedFor.join(', ')} to finish`);
    return;
  }
  const first = await takeUpdateLock({ updateId });
  if (first.taken) return;
  progress.warnings.push(`waited for update ${first.owner} to finish`);
  await acquireUpdateLock({ updateId });
}

const isContinueAsNew = (error: unknown) => error instanceof ContinueAsNew;

async function runSliceJobs(input: PipelineUpdateInput, state: UpdateState): Promise<void> {
  for (;;) {
    const units = await loadPlanUnits({
      updateId: input.updateId,
      kind: 'slice',
      fromSeq: state.cursor.slice,
      limit: PAGE,
    });
    if (units.length === 0) return;
    await inParallel(units, input.parallel, async (unit) => {
      const job = unit.jobs[0];
      try {
        await sliceJob(job.jobId)({
          module: job.module,
          jobId: job.jobId,
          reason: job.reason,
          updateId: input.updateId,
          dataRoots: input.dataRoots,
        });
        countOutcome(state.progress, job.module, 'succeeded');
      } catch (error) {
        if (isCancellation(error)) throw error;
        countOutcome(state.progress, job.module, 'failed');
        state.failedSlices.push(job.jobId);
        state.progress.sliceJobs.failed++;
        noteFailure(state.progress, job.jobId, [job.module], messageOf(error));
      }
      state.progress.sliceJobs.done++;
    });
    state.cursor.slice = units[units.length - 1].seq + 1;
  }
}

/** Returns false when the history grew large and the rest should continue in a new run. */
async function runExperiments(input: PipelineUpdateInput, state: UpdateState): Promise<boolean> {
  const failedSlices = new Set(state.failedSlices);
  for (;;) {
    if (historyIsLarge()) return false;
    const units = await loadPlanUnits({
      updateId: input.updateId,
      kind: 'experiment',
      fromSeq: state.cursor.experiment,
      limit: PAGE,
    });
    if (units.length === 0) return true;
    await inParallel(units, input.parallel, async (unit) => {
      if (failedSlices.has(sliceOf(unit.key))) {
        for (const job of unit.jobs) countOutcome(state.progress, job.module, 'skipped');
        state.progress.experiments.notStarted++;
        return;
      }
      await runExperiment(input, state, unit.key, unit.jobs);
    });
    state.cursor.experiment = units[units.length - 1].seq + 1;
  }
}

async function runExperiment(
  input: PipelineUpdateInput,
  state: UpdateState,
  experimentId: string,
  jobs: PlannedJob[],
): Promise<void> {
  const progress = state.progress;
  const planned = new Set(jobs.map((job) => job.module));
  const dependencies = state.graph;
  let child;
  try {
    child = await startChild(processExperiment, {
      workflowId: experimentWorkflowId(experimentId),
      args: [
        {
          experimentId,
          updateId: input.updateId,
          statusSetByParent: true,
          jobs: jobs.map((job) => ({
            ...job,
            dependencies: (dependencies[job.module] ?? []).filter((dep) => planned.has(dep)),
          })),
        },
      ],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [
        { key: SearchAttributes.experiment, value: experimentId },
        { key: SearchAttributes.updateId, value: input.updateId },
        { key: SearchAttributes.status, value: 'running' },
      ],
      staticSummary: `${experimentId}: ${jobs.map((job) => job.module).join(', ')}`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    // Another update is processing this experiment right now; it must not run twice.
    for (const job of jobs) countOutcome(progress, job.module, 'skipped');
    progress.experiments.notStarted++;
    return;
  }
  progress.experiments.running++;
  try {
    const result = await child.result();
    for (const [module, outcome] of Object.entries(result.modules)) countOutcome(progress, module, outcome);
    progress.experiments.succeeded++;
  } catch (error) {
    if (isCancellation(error)) throw error;
    const details = childDetails(error);
    for (const [module, outcome] of Object.entries(details?.modules ?? {})) countOutcome(progress, module, outcome);
    progress.experiments.failed++;
    noteFailure(progress, experimentId, details?.failedModules ?? [], messageOf(error));
  } finally {
    progress.experiments.running--;
    progress.experiments.done++;
  }
}

/** Runs `work` over items with at most `limit` at once (deterministic: workflow promises). */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  for (const item of items) {
    const promise: Promise<void> = work(item).finally(() => running.delete(promise));
    running.add(promise);
    if (running.size >= Math.max(1, limit)) await Promise.race(running);
  }
  await Promise.all(running);
}

function historyIsLarge(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS;
}

function childDetails(
  error: unknown,
): { modules?: Record<string, ModuleOutcome>; failedModules?: string[] } | undefined {
  const cause = error instanceof ChildWorkflowFailure ? error.cause : undefined;
  const details = (cause as { details?: unknown[] } | undefined)?.details;
  return details?.[0] as { modules?: Record<string, ModuleOutcome>; failedModules?: string[] } | undefined;
}
