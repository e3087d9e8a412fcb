import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { MpctlConfig } from '../config/config.js';
import { ConfigError } from '../errors/index.js';
import { scheduleWorkflowIdPrefix } from '../workflow-safe/job-ids.js';
import { WorkflowNames, type PipelineUpdateInput } from '../workflow-safe/workflow-types.js';
import { parseDuration } from '../util/duration.js';

export const DEFAULT_SCHEDULE_ID = 'mpctl-update';
export const OVERLAP_POLICIES = ['skip', 'buffer-one', 'allow-all'] as const;
export type OverlapName = (typeof OVERLAP_POLICIES)[number];

const overlapPolicy: Record<OverlapName, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
};

export interface ScheduleRequest {
  id: string;
  every?: string;
  cron?: string;
  overlap: OverlapName;
  /** How late a missed run (server down) may still start once the server is back. */
  catchupWindow: string;
  /** What each update runs; resolved by the worker when the run plans. */
  update: Omit<PipelineUpdateInput, 'updateId' | 'state' | 'modules'> & { selection: string[] };
}

/** What `schedule list` prints per schedule; `spec` is how it was asked for (`every 5m`, `cron 0 * * * *`). */
export interface ScheduleSummaryView {
  id: string;
  spec: string;
  paused: boolean;
  nextRunAt: string | null;
  lastRun: { workflowId: string; updateId: string; scheduledAt: string; startedAt: string } | null;
}

export interface ScheduleDetails extends ScheduleSummaryView {
  overlap: string;
  catchupWindowSeconds: number;
  note: string | null;
  runs: number;
  skippedOverlap: number;
  missedCatchupWindow: number;
  running: string[];
  recentRuns: NonNullable<ScheduleSummaryView['lastRun']>[];
  update: unknown;
}

export class ScheduleMissingError extends Error {
  constructor(id: string) {
    super(`no schedule "${id}"; list them with: mpctl schedule list`);
    this.name = 'ScheduleMissingError';
  }
}

export function specText(request: Pick<ScheduleRequest, 'every' | 'cron'>): string {
  return request.every ? `every ${request.every}` : `cron ${request.cron}`;
}

/** Creates the Schedule; false when one with this id exists and `ifAbsent` asked to keep it. */
export async function createSchedule(
  client: Client,
  config: MpctlConfig,
  request: ScheduleRequest,
  ifAbsent = false,
): Promise<boolean> {
  if (Boolean(request.every) === Boolean(request.cron))
    throw new ConfigError('give exactly one of --every DURATION or --cron EXPR');
  const every = request.every ? parseDuration(request.every, '--every') : undefined;
  if (every !== undefined && every < 1000) throw new ConfigError('--every must be at least 1s');
  const catchup = parseDuration(request.catchupWindow, '--catchup-window');
  const args: [PipelineUpdateInput] = [{ updateId: '', modules: [], ...request.update }];
  try {
    await client.schedule.create({
      scheduleId: request.id,
      spec: every !== undefined ? { intervals: [{ every }] } : { cronExpressions: [request.cron!] },
      action: {
        type: 'startWorkflow',
        workflowType: WorkflowNames.pipelineUpdate,
        taskQueue: config.taskQueue,
        // Temporal appends each run's time, so runs are `update/schedule-<id>-<time>`.
        workflowId: scheduleWorkflowIdPrefix(request.id),
        args,
        staticSummary: `mpctl schedule ${request.id}: update ${request.update.selection.join(' ')}`,
      },
      policies: { overlap: overlapPolicy[request.overlap], catchupWindow: catchup },
      memo: { mpctlSpec: specText(request) },
    });
    return true;
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning && ifAbsent) return false;
    if (error instanceof ScheduleAlreadyRunning) throw new ScheduleExistsError(request.id);
    if (/invalid cron|cron/i.test((error as Error).message) && request.cron)
      throw new ConfigError(`--cron "${request.cron}": ${(error as Error).message}`);
    throw error;
  }
}

export class ScheduleExistsError extends Error {
  constructor(id: string) {
    super(
      `schedule "${id}" exists already; keep it with --if-absent, or delete it first (mpctl schedule delete ${id})`,
    );
    this.name = 'ScheduleExistsError';
  }
}

export async function describeSchedule(client: Client, id: string): Promise<ScheduleDetails> {
  const d = await withSchedule(id, () => client.schedule.getHandle(id).describe());
  return detailsOf(d);
}

/** Every schedule that starts pipelineUpdate, described one by one (the list itself is eventually consistent). */
export async function listSchedules(client: Client): Promise<ScheduleSummaryView[]> {
  const ids: string[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.type === 'startWorkflow' && summary.action.workflowType === WorkflowNames.pipelineUpdate)
      ids.push(summary.scheduleId);
  }
  const views: ScheduleSummaryView[] = [];
  for (const id of ids.sort()) {
    try {
      const { id: _, spec, paused, nextRunAt, lastRun } = await describeSchedule(client, id);
      views.push({ id, spec, paused, nextRunAt, lastRun });
    } catch (error) {
      // Deleted between the list and the describe.
      if (!(error instanceof ScheduleMissingError)) throw error;
    }
  }
  return views;
}

export async function pauseSchedule(client: Client, id: string, note: string): Promise<void> {
  await withSchedule(id, () => client.schedule.getHandle(id).pause(note));
}

export async function resumeSchedule(client: Client, id: string, note: string): Promise<void> {
  await withSchedule(id, () => client.schedule.getHandle(id).unpause(note));
}

/** Starts one run now, under the schedule's own overlap policy (the update lock still serialises runs). */
export async function triggerSchedule(client: Client, id: string): Promise<void> {
  const handle = client.schedule.getHandle(id);
  const d = await withSchedule(id, () => handle.describe());
  await handle.trigger(d.policies.overlap);
}

export async function deleteSchedule(client: Client, id: string): Promise<void> {
  await withSchedule(id, () => client.schedule.getHandle(id).delete());
}

async function withSchedule<T>(id: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError || /not found/i.test((error as Error).message))
      throw new ScheduleMissingError(id);
    throw error;
  }
}

function detailsOf(d: ScheduleDescription): ScheduleDetails {
  const runs = d.info.recentActions.map((a) => ({
    workflowId: a.action.workflow.workflowId,
    updateId: a.action.workflow.workflowId.replace(/^update\//, ''),
    scheduledAt: a.scheduledAt.toISOString(),
    startedAt: a.takenAt.toISOString(),
  }));
  const overlapName =
    (Object.entries(overlapPolicy).find(([, policy]) => policy === d.policies.overlap)?.[0] as OverlapName) ??
    String(d.policies.overlap);
  const action = d.action.type === 'startWorkflow' ? d.action : undefined;
  return {
    id: d.scheduleId,
    spec: typeof d.memo?.mpctlSpec === 'string' ? d.memo.mpctlSpec : JSON.stringify(d.spec),
    paused: d.state.paused,
    nextRunAt: d.state.paused ? null : (d.info.nextActionTimes[0]?.toISOString() ?? null),
    lastRun: runs.at(-1) ?? null,
    overlap: overlapName,
    catchupWindowSeconds: Math.round(d.policies.catchupWindow / 1000),
    note: d.state.note ?? null,
    runs: d.info.numActionsTaken,
    skippedOverlap: d.info.numActionsSkippedOverlap,
    missedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    running: d.info.runningActions.map((r) => r.workflow.workflowId),
    recentRuns: runs,
    update: action?.args?.[0] ?? null,
  };
}
