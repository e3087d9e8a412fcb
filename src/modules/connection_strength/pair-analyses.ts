import { setMaxListeners } from 'node:events';
import { setImmediate as tick } from 'node:timers/promises';
import Tinypool from 'tinypool';
import { BadInputError, ErrorTypes } from '../../errors/index.js';
import { analysisThreads } from './analysis-threads.js';
import { analyzePair, type PairConnectivity } from './pair-connectivity.js';
import type { PairOutcome, PairTask, ThreadError } from './pair-thread.js';

export type { PairTask } from './pair-thread.js';

// One pool per worker process, shared by its concurrent jobs: the fits use the cores, not a thread per job each.
let shared: { threads: number; pool: Tinypool } | undefined;

/** The pool's options besides its size; exported so bench/thread-memory.ts can try others. */
export const ANALYSIS_POOL_OPTIONS: Omit<
  NonNullable<ConstructorParameters<typeof Tinypool>[0]>,
  'filename' | 'maxThreads'
> = {
  minThreads: 0,
  // Kept a while for the next experiment's job; idle threads do not keep the process alive.
  idleTimeout: 10_000,
  // A 4 MiB nursery instead of V8's default (up to 16 MiB semi-spaces): each thread's heap 25 → 13 MiB,
  // the process 20–30 MiB less with 2 threads, same CPU (bench/thread-memory.ts). The old generation stays unbounded.
  resourceLimits: { maxYoungGenerationSizeMb: 4 },
};

function poolOf(threads: number): Tinypool {
  if (shared?.threads !== threads) {
    void shared?.pool.destroy();
    shared = {
      threads,
      pool: new Tinypool({
        ...ANALYSIS_POOL_OPTIONS,
        filename: new URL('./pair-thread.js', import.meta.url).href,
        maxThreads: threads,
      }),
    };
  }
  return shared.pool;
}

/** Ends the pool's threads (worker shutdown, tests); the next analysis starts new ones. */
export async function closeAnalysisThreads(): Promise<void> {
  const pool = shared?.pool;
  shared = undefined;
  await pool?.destroy();
}

/**
 * analyzePair for every task, yielded in the tasks' order whatever order the threads finish in,
 * so rows and the first error are those of the one-thread path. With `threads` 1 the fits run
 * here, one at a time, as before. Stopping early (an error, cancellation) cancels the tasks not
 * yet yielded; a running one's thread is terminated.
 */
export async function* analyzePairs(
  tasks: PairTask[],
  signal: AbortSignal,
  threads = analysisThreads(),
): AsyncGenerator<PairConnectivity | null> {
  if (threads <= 1) {
    for (const [i, t] of tasks.entries()) {
      signal.throwIfAborted();
      let result: PairConnectivity | null;
      try {
        result = analyzePair(t.responses, t.rate, t.options);
      } catch (error) {
        throw new PairAnalysisError(i, error);
      }
      yield result;
      // Each fit is synchronous CPU work: let heartbeats and cancellation through between pairs.
      await tick();
    }
    return;
  }
  const pool = poolOf(threads);
  const stop = new AbortController();
  // One listener per task on this signal: not a leak.
  setMaxListeners(tasks.length + 10, stop.signal);
  const cancel = () => stop.abort();
  signal.addEventListener('abort', cancel, { once: true });
  const outcomes = tasks.map((t) => pool.run(t, { signal: stop.signal }) as Promise<PairOutcome>);
  // Those after a failure are never awaited: no unhandled rejection.
  for (const o of outcomes) o.catch(() => undefined);
  try {
    for (const [i, outcome] of outcomes.entries()) {
      signal.throwIfAborted();
      let o: PairOutcome;
      try {
        o = await outcome;
      } catch (error) {
        // The pool's own "task has been aborted": the caller wants the cancellation's reason, as before.
        signal.throwIfAborted();
        throw error;
      }
      if ('failed' in o) throw new PairAnalysisError(i, asThrown(o.failed));
      yield o.result;
    }
  } finally {
    signal.removeEventListener('abort', cancel);
    stop.abort();
  }
}

/**
 * analyzePair threw on task `index` (the same error on any number of threads). A thread that
 * crashed instead (out of memory) rejects with the pool's own error, which is not this.
 */
export class PairAnalysisError extends Error {
  constructor(
    readonly index: number,
    cause: unknown,
  ) {
    super(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause), { cause });
    this.name = 'PairAnalysisError';
  }
}

/** The thread's error as the one-thread path would have thrown it: same class, message and type. */
function asThrown(t: ThreadError): unknown {
  if (t.errorType === ErrorTypes.BadInput && t.file !== undefined && t.problem !== undefined) {
    const e = new BadInputError(t.file, t.problem);
    e.stack = (t.error as Error | undefined)?.stack ?? e.stack;
    return e;
  }
  if (!(t.error instanceof Error)) return t.error;
  if (t.name) t.error.name = t.name;
  if (t.errorType) Object.assign(t.error, { errorType: t.errorType });
  return t.error;
}

/** Threads the pool holds now (tests: cancellation must terminate them). */
export function runningAnalysisThreads(): number {
  return shared?.pool.threads.length ?? 0;
}

/** The pool, if one has been started (bench/thread-memory.ts reads its threads' heaps). */
export function analysisPool(): Tinypool | undefined {
  return shared?.pool;
}
