import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { ErrorTypes } from '../errors/index.js';
import type { DropResultsInput, DropResultsResult, DropResultsWorkflow } from '../workflow-safe/workflow-types.js';
import { bookkeepingOptions } from './activity-options.js';

const { cancelExperimentWorkflows, dropModuleResults } = proxyActivities<Activities>({
  ...bookkeepingOptions,
  summary: 'drop',
});

/**
 * `mpctl drop`: cancels the running workflows of the affected experiments, then deletes the
 * module's results and everything downstream. A workflow so that every drop is in the Web UI.
 */
export const dropResults: DropResultsWorkflow = async (input: DropResultsInput): Promise<DropResultsResult> => {
  const cancelled = await cancelExperimentWorkflows({ experimentIds: input.experimentIds });
  if (cancelled.stillRunning.length > 0) {
    throw ApplicationFailure.create({
      message: `experiment workflows still running after cancellation: ${cancelled.stillRunning.join(', ')}; nothing was dropped`,
      type: ErrorTypes.Config,
      nonRetryable: true,
    });
  }
  const report = await dropModuleResults({ module: input.module, experimentIds: input.experimentIds });
  return { ...report, cancelledWorkflows: cancelled.cancelled };
};
