import type { WorkflowHandle } from '@temporalio/client';

export interface UpdatePhases {
  /** Start of the update workflow to its first child: lock, planning, slice jobs. */
  beforeChildrenSeconds: number;
  /** First child started to last child closed. */
  childrenSeconds: number;
  /** Mean time from a child's start command to its close, as the parent saw it. */
  meanChildSeconds: number;
  /** Last child closed to the update's completion. */
  afterChildrenSeconds: number;
}

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

/** Where an update's time went, from its own history's event times (both mpctl and the baseline). */
export async function updatePhases(handle: WorkflowHandle): Promise<UpdatePhases> {
  const events = (await handle.fetchHistory()).events ?? [];
  const started = ms(events[0]?.eventTime);
  const initiated = new Map<string, number>();
  const durations: number[] = [];
  let firstChild = Number.NaN;
  let lastClose = Number.NaN;
  for (const e of events) {
    const t = ms(e.eventTime);
    if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      if (Number.isNaN(firstChild)) firstChild = t;
      initiated.set(String(e.eventId), t);
    }
    const closed = e.childWorkflowExecutionCompletedEventAttributes ?? e.childWorkflowExecutionFailedEventAttributes;
    if (closed) {
      lastClose = t;
      const from = initiated.get(String(closed.initiatedEventId));
      if (from !== undefined) durations.push(t - from);
    }
  }
  const end = ms(events[events.length - 1]?.eventTime);
  return {
    beforeChildrenSeconds: (firstChild - started) / 1000,
    childrenSeconds: (lastClose - firstChild) / 1000,
    meanChildSeconds: durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length) / 1000,
    afterChildrenSeconds: (end - lastClose) / 1000,
  };
}
