import crypto from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { MpctlConfig } from '../config/config.js';
import { updateWorkflowId } from '../workflow-safe/job-ids.js';
import { SearchAttributes } from '../workflow-safe/search-attributes.js';
import {
  progressQueryName,
  WorkflowNames,
  type PipelineUpdateInput,
  type PipelineUpdateWorkflow,
  type UpdateProgress,
} from '../workflow-safe/workflow-types.js';
import { sleep } from '../util/wait.js';

/** Sortable and readable: `20261122-031500-ab12`. */
export function newUpdateId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${crypto.randomBytes(2).toString('hex')}`;
}

export async function startUpdate(
  client: Client,
  config: MpctlConfig,
  input: Omit<PipelineUpdateInput, 'state'>,
): Promise<WorkflowHandle<PipelineUpdateWorkflow>> {
  return client.workflow.start<PipelineUpdateWorkflow>(WorkflowNames.pipelineUpdate, {
    taskQueue: config.taskQueue,
    workflowId: updateWorkflowId(input.updateId),
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    typedSearchAttributes: [{ key: SearchAttributes.updateId, value: input.updateId }],
    staticSummary: `mpctl update ${input.modules.join(' ')}${input.experimentIds?.length ? ` --experiment ${input.experimentIds.join(' ')}` : ''}`,
  });
}

export function updateHandle(client: Client, updateId: string): WorkflowHandle<PipelineUpdateWorkflow> {
  return client.workflow.getHandle<PipelineUpdateWorkflow>(updateWorkflowId(updateId));
}

/**
 * Follows an update until it finishes, calling `onProgress` with each new report. Queries go to
 * the latest run, so following survives continue-as-new.
 */
export async function followUpdate(
  handle: WorkflowHandle<PipelineUpdateWorkflow>,
  onProgress: (progress: UpdateProgress) => void,
  intervalMs = 500,
  stop?: AbortSignal,
): Promise<UpdateProgress | undefined> {
  const done = handle.result().then(
    (result) => ({ result }),
    (error) => ({ error }),
  );
  let finished: { result?: UpdateProgress; error?: unknown } | undefined;
  void done.then((value) => (finished = value));
  while (!finished && !stop?.aborted) {
    try {
      onProgress(await handle.query<UpdateProgress>(progressQueryName));
    } catch {
      // Between runs (continue-as-new) or before the first workflow task: try again.
    }
    await Promise.race([sleep(intervalMs), done]);
  }
  if (stop?.aborted) return undefined;
  if (finished?.error) throw finished.error;
  onProgress(finished!.result!);
  return finished!.result;
}
