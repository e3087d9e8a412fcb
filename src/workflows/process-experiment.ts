import {
  ApplicationFailure,
  isCancellation,
  patched,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { ErrorTypes } from '../errors/index.js';
import { SearchAttributes } from '../workflow-safe/search-attributes.js';
import type {
  ModuleOutcome,
  ProcessExperimentInput,
  ProcessExperimentResult,
  ProcessExperimentWorkflow,
} from '../workflow-safe/workflow-types.js';
import { bookkeepingOptions, moduleJobOptions } from './activity-options.js';
import { runDag } from './dag.js';
import { messageOf } from './failure-message.js';

const { recordSkipped } = proxyActivities<Activities>(bookkeepingOptions);

/** The activity proxy of one module, so the Web UI timeline names each step after its module. */
const moduleActivity = (module: string, experimentId: string, taskQueue?: string) =>
  proxyActivities<Activities>({
    ...moduleJobOptions,
    summary: `${module} · ${experimentId}`,
    // Only a module that names a queue gets one, so histories recorded before queues replay unchanged.
    ...(taskQueue ? { taskQueue } : {}),
  }).runModuleJob;

/**
 * Runs one experiment's modules in dependency order, independent modules in parallel. A failed
 * module skips only what depends on it; the workflow then fails naming the failed modules, so
 * `mpctl reset` can re-run from the first failed step.
 */
export const processExperiment: ProcessExperimentWorkflow = async (
  input: ProcessExperimentInput,
): Promise<ProcessExperimentResult> => {
  const { experimentId } = input;
  // The parent sets MpctlStatus=running at start; runs begun before that (recorded histories) upserted it here,
  // and runs begun by parents that did not yet say so in the input decided it with patched().
  if (!input.statusSetByParent && !patched('status-set-by-parent'))
    upsertSearchAttributes([{ key: SearchAttributes.status, value: 'running' }]);
  const nodes = input.jobs.map((job) => ({ id: job.module, dependencies: job.dependencies }));
  const byModule = new Map(input.jobs.map((job) => [job.module, job]));
  const outcomes = await runDag(nodes, (node) => {
    const job = byModule.get(node.id)!;
    return moduleActivity(
      job.module,
      experimentId,
      job.taskQueue,
    )({ module: job.module, jobId: job.jobId, reason: job.reason, updateId: input.updateId });
  });

  const modules: Record<string, ModuleOutcome> = {};
  const failed: string[] = [];
  const messages: string[] = [];
  const skipped: { module: string; jobId: string; blockedBy: string }[] = [];
  for (const [module, outcome] of outcomes) {
    if (outcome.status === 'failed' && isCancellation(outcome.error)) throw outcome.error;
    modules[module] = outcome.status;
    if (outcome.status === 'failed') {
      failed.push(module);
      messages.push(`${module}: ${messageOf(outcome.error)}`);
    } else if (outcome.status === 'skipped') {
      skipped.push({ module, jobId: experimentId, blockedBy: outcome.blockedBy });
    }
  }
  if (skipped.length > 0) await recordSkipped({ jobs: skipped, updateId: input.updateId });
  if (failed.length > 0) {
    upsertSearchAttributes([
      { key: SearchAttributes.status, value: 'failed' },
      { key: SearchAttributes.failedModules, value: failed },
    ]);
    const skippedNote = skipped.length ? `; skipped ${skipped.map((s) => s.module).join(', ')}` : '';
    throw ApplicationFailure.create({
      message: `${experimentId}: ${messages.join('; ')}${skippedNote}`,
      type: ErrorTypes.ModulesFailed,
      nonRetryable: true,
      details: [{ experimentId, modules, failedModules: failed }],
    });
  }
  upsertSearchAttributes([
    { key: SearchAttributes.status, value: 'succeeded' },
    { key: SearchAttributes.failedModules, value: [] },
  ]);
  return { experimentId, modules };
};
