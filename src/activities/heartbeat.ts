import { Context } from '@temporalio/activity';

/** How often a running activity tells Temporal it is alive; well inside every heartbeat timeout. */
export const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Beats while `fn` runs. Why every activity beats, not only module jobs: when the Temporal server
 * is down for longer than the SDK retries reporting an activity's completion (a few seconds), that
 * report is lost, and Temporal only retries the attempt on a timeout. Without a heartbeat that is
 * start-to-close (10 minutes for bookkeeping), and an update stalls that long after the outage
 * (measured: test/faults/schedule-server-kill.test.ts, server down 15 s). Called outside an
 * activity (tests of the activities alone), it just runs `fn`.
 */
export function heartbeating<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    let ctx: Context | undefined;
    try {
      ctx = Context.current();
    } catch {
      ctx = undefined;
    }
    const timer = ctx ? setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS) : undefined;
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
    }
  };
}

/** Every activity of `activities` but `except` (which beats with its own details) wrapped in `heartbeating`. */
export function withHeartbeats<T extends Record<string, (input: never) => Promise<unknown>>>(
  activities: T,
  except: keyof T,
): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [name, name === except ? fn : heartbeating(fn)]),
  ) as T;
}
