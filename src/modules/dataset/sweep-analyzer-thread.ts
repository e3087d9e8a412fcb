// The other end of SweepAnalyzer: analyses sweeps posted to this thread, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeSweep, type SweepInput } from '../../analysis/analyze-sweep.js';
import type { ResponseQcOptions } from '../../analysis/response-qc.js';

const qcOptions = (workerData ?? {}) as ResponseQcOptions;

parentPort!.on('message', ({ id, experimentId, sweep }: { id: number; experimentId: string; sweep: SweepInput }) => {
  try {
    const analysis = analyzeSweep(experimentId, sweep, qcOptions);
    // Windows are views on the response arrays the caller still holds; cloning a view would copy its whole trace.
    for (const r of analysis.responses) r.data = [];
    parentPort!.postMessage({ id, analysis });
  } catch (error) {
    parentPort!.postMessage({
      id,
      error: error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) },
    });
  }
});
