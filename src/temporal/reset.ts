import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { temporal as protoTypes } from '@temporalio/proto';
import { ConfigError } from '../errors/index.js';
import { experimentWorkflowId } from '../workflow-safe/job-ids.js';
import { WorkflowNames } from '../workflow-safe/workflow-types.js';
import { visibilityQuote } from './experiment-workflows.js';

// @temporalio/proto is CommonJS: named ESM imports of it do not resolve.
const { temporal } = proto;
type HistoryEvent = protoTypes.api.history.v1.IHistoryEvent;
type EventId = NonNullable<
  protoTypes.api.history.v1.IActivityTaskScheduledEventAttributes['workflowTaskCompletedEventId']
>;

export interface ResetResult {
  workflowId: string;
  previousRunId: string;
  newRunId: string;
  /** The module whose failed step the run now starts again from. */
  module: string;
  resetToEventId: number;
}

/**
 * Resets an experiment's failed workflow to just before its first failed step: the workflow task
 * that scheduled the failed activity. The new run replays the completed steps from history (they
 * do not run again) and executes the failed module and its downstream anew.
 */
export async function resetExperiment(
  client: Client,
  experimentId: string,
  reason = 'mpctl reset',
): Promise<ResetResult> {
  const workflowId = experimentWorkflowId(experimentId);
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe().catch(() => {
    throw new ConfigError(`no workflow ${workflowId}: has experiment ${experimentId} been processed?`);
  });
  if (description.status.name !== 'FAILED') {
    throw new ConfigError(
      `${workflowId} is ${description.status.name.toLowerCase()}, not failed; only a failed run can be reset (use \`mpctl update --experiment ${experimentId} --retry\` otherwise)`,
    );
  }
  const history = await client.workflow.getHandle(workflowId, description.runId).fetchHistory();
  const events = history.events ?? [];
  const point = firstFailedStep(events);
  if (!point) throw new ConfigError(`${workflowId} failed without a failed activity; nothing to reset to`);
  const response: { runId?: string | null } = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId, runId: description.runId },
    workflowTaskFinishEventId: point.workflowTaskCompletedEventId,
    reason,
    requestId: crypto.randomUUID(),
    resetReapplyExcludeTypes: [temporal.api.enums.v1.ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL],
  });
  return {
    workflowId,
    previousRunId: description.runId,
    newRunId: response.runId!,
    module: point.module,
    resetToEventId: Number(point.workflowTaskCompletedEventId),
  };
}

/** The first failed (not cancelled) activity and the workflow task that scheduled it. */
export function firstFailedStep(
  events: HistoryEvent[],
): { module: string; workflowTaskCompletedEventId: EventId } | undefined {
  const failed = events.find((e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes);
  if (!failed) return undefined;
  const scheduledId = Number(
    (failed.activityTaskFailedEventAttributes ?? failed.activityTaskTimedOutEventAttributes)!.scheduledEventId,
  );
  const scheduled = events.find((e) => Number(e.eventId) === scheduledId)?.activityTaskScheduledEventAttributes;
  if (!scheduled) return undefined;
  const input = scheduled.input?.payloads?.[0]?.data;
  const module = input ? ((JSON.parse(Buffer.from(input).toString('utf8')) as { module?: string }).module ?? '?') : '?';
  return { module, workflowTaskCompletedEventId: scheduled.workflowTaskCompletedEventId! };
}

/** Experiments whose latest experiment workflow run failed, optionally in a given module. */
export async function failedExperiments(client: Client, module?: string): Promise<string[]> {
  let query = `WorkflowType = '${WorkflowNames.processExperiment}' AND ExecutionStatus = 'Failed'`;
  if (module) query += ` AND MpctlFailedModules = ${visibilityQuote(module)}`;
  const ids = new Set<string>();
  for await (const wf of client.workflow.list({ query })) ids.add(wf.workflowId);
  const latestFailed: string[] = [];
  for (const id of ids) {
    // A later run (a retry or an earlier reset) may have succeeded since.
    const current = await client.workflow.getHandle(id).describe();
    if (current.status.name === 'FAILED') latestFailed.push(id.replace(/^experiment\//, ''));
  }
  return latestFailed.sort();
}
