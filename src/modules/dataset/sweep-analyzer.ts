import { Worker } from 'node:worker_threads';
import type { SweepAnalysis, SweepInput } from '../../analysis/analyze-sweep.js';
import type { ResponseQcOptions } from '../../analysis/response-qc.js';

/** analyzeSweep on a thread of its own, so sweep n is analysed while the caller reads sweep n+1. */
export interface SweepAnalyzer {
  /** The same result as analyzeSweep(experimentId, sweep), windows again views on sweep's responses. */
  analyze(experimentId: string, sweep: SweepInput): Promise<SweepAnalysis>;
  close(): Promise<void>;
}

interface Pending {
  sweep: SweepInput;
  resolve(analysis: SweepAnalysis): void;
  reject(error: Error): void;
}

/**
 * Threads a finished job handed back, kept for the next job (unref'd: they do not hold the process).
 * A fresh thread costs each dataset job ~0.2 CPU s (isolate start, module load, analyzeSweep
 * interpreted until the JIT has warmed up again): as much as a fifth of the whole job.
 */
const idle: Worker[] = [];
/** More idle threads than concurrent dataset jobs are never needed; this bounds their memory. */
export const MAX_IDLE_ANALYZERS = 4;

/** `qcOptions` are the dataset module's response-QC parameters, applied to every sweep. */
export function startSweepAnalyzer(qcOptions: ResponseQcOptions = {}): SweepAnalyzer {
  const thread = idle.pop() ?? newThread();
  thread.ref();
  const pending = new Map<number, Pending>();
  let next = 0;
  let failure: Error | undefined;
  let broken = false;
  let closed = false;
  const failAll = (error: Error) => {
    broken = true;
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const onMessage = ({
    id,
    analysis,
    error,
  }: {
    id: number;
    analysis?: SweepAnalysis;
    error?: { message: string; stack?: string };
  }) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (error) return p.reject(Object.assign(new Error(error.message), { stack: error.stack }));
    const responses = new Map(p.sweep.channels.map((c) => [c.key, c.response]));
    for (const r of analysis!.responses) r.data = view(responses.get(r.post)!, r.window.start, r.window.stop);
    p.resolve(analysis!);
  };
  const onExit = (code: number) => failAll(new Error(`sweep analysis thread exited (code ${code})`));
  thread.on('message', onMessage);
  thread.on('error', failAll);
  thread.on('exit', onExit);
  return {
    analyze(experimentId, sweep) {
      if (failure) return Promise.reject(failure);
      const result = new Promise<SweepAnalysis>((resolve, reject) => {
        const id = next++;
        pending.set(id, { sweep, resolve, reject });
        // Shared-memory arrays (the direct reader's) are shared; others are copied by structured
        // clone, so the caller keeps its own for cutting windows.
        thread.postMessage({ id, experimentId, sweep, qcOptions });
      });
      // A caller that stops early (bad input in the next sweep) never awaits this one: no unhandled rejection.
      result.catch(() => undefined);
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      thread.off('message', onMessage);
      thread.off('error', failAll);
      thread.off('exit', onExit);
      failure = new Error('sweep analyzer closed');
      // A thread still analysing would answer the next job with this one's results: only an idle one is kept.
      const reusable = !broken && pending.size === 0 && idle.length < MAX_IDLE_ANALYZERS;
      pending.clear();
      if (reusable) {
        thread.unref();
        idle.push(thread);
      } else await thread.terminate();
    },
  };
}

/** Idle threads kept for the next job (tests). */
export function idleAnalyzers(): number {
  return idle.length;
}

function newThread(): Worker {
  const thread = new Worker(new URL('./sweep-analyzer-thread.js', import.meta.url));
  // An idle thread that dies (out of memory) leaves the pool instead of being handed out.
  thread.once('exit', () => {
    const i = idle.indexOf(thread);
    if (i >= 0) idle.splice(i, 1);
  });
  return thread;
}

/** Ends the idle analyzer threads (a worker shutting down, or a test that counts threads). */
export async function closeIdleAnalyzers(): Promise<void> {
  await Promise.all(idle.splice(0).map((t) => t.terminate()));
}

function view(x: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return ArrayBuffer.isView(x)
    ? (x as unknown as Float64Array).subarray(from, to)
    : Array.prototype.slice.call(x, from, to);
}
