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

/** `qcOptions` are the dataset module's response-QC parameters, applied to every sweep. */
export function startSweepAnalyzer(qcOptions: ResponseQcOptions = {}): SweepAnalyzer {
  const thread = new Worker(new URL('./sweep-analyzer-thread.js', import.meta.url), { workerData: qcOptions });
  const pending = new Map<number, Pending>();
  let next = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  thread.on(
    'message',
    ({
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
    },
  );
  thread.on('error', failAll);
  thread.on('exit', (code) => failAll(new Error(`sweep analysis thread exited (code ${code})`)));
  return {
    analyze(experimentId, sweep) {
      if (failure) return Promise.reject(failure);
      const result = new Promise<SweepAnalysis>((resolve, reject) => {
        const id = next++;
        pending.set(id, { sweep, resolve, reject });
        // Structured clone copies the arrays: the caller keeps its own for cutting windows.
        thread.postMessage({ id, experimentId, sweep });
      });
      // A caller that stops early (bad input in the next sweep) never awaits this one: no unhandled rejection.
      result.catch(() => undefined);
      return result;
    },
    async close() {
      thread.removeAllListeners('exit');
      failure ??= new Error('sweep analyzer closed');
      pending.clear();
      await thread.terminate();
    },
  };
}

function view(x: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return ArrayBuffer.isView(x)
    ? (x as unknown as Float64Array).subarray(from, to)
    : Array.prototype.slice.call(x, from, to);
}
