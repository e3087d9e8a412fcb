import type { Client } from '@temporalio/client';
import { experimentWorkflowId, updateWorkflowId } from '../workflow-safe/job-ids.js';
import { WorkflowNames } from '../workflow-safe/workflow-types.js';
import { sleep } from '../util/wait.js';

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Workflow ids of running experiment workflows, for some experiments or all of them. */
export async function runningExperimentWorkflows(client: Client, experimentIds?: string[]): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({
    query: `WorkflowType = '${WorkflowNames.processExperiment}' AND ExecutionStatus = 'Running'`,
  })) {
    ids.push(wf.workflowId);
  }
  if (!experimentIds) return ids;
  const wanted = new Set(experimentIds.map(experimentWorkflowId));
  return ids.filter((id) => wanted.has(id));
}

/** Requests cancellation and waits (bounded) until each workflow has closed; returns those that did. */
export async function cancelAndWait(
  client: Client,
  workflowIds: string[],
  timeoutMs = 60_000,
): Promise<{ closed: string[]; stillRunning: string[] }> {
  await Promise.all(
    workflowIds.map((id) =>
      client.workflow
        .getHandle(id)
        .cancel()
        .catch(() => undefined),
    ),
  );
  const deadline = Date.now() + timeoutMs;
  let pending = [...workflowIds];
  while (pending.length > 0 && Date.now() < deadline) {
    const states = await Promise.all(
      pending.map(async (id) => ({
        id,
        running: (await client.workflow.getHandle(id).describe()).status.name === 'RUNNING',
      })),
    );
    pending = states.filter((s) => s.running).map((s) => s.id);
    if (pending.length) await sleep(500);
  }
  return { closed: workflowIds.filter((id) => !pending.includes(id)), stillRunning: pending };
}

export { quote as visibilityQuote };

/** Whether an update's workflow still runs; one that Temporal no longer knows has finished. */
export async function updateIsRunning(client: Client, updateId: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(updateWorkflowId(updateId)).describe()).status.name === 'RUNNING';
  } catch {
    return false; // no such workflow: a leftover lock
  }
}
