// The other end of SweepAnalyzer: analyses sweeps posted to this thread, one at a time. The
// thread outlives a job (it is reused by the next one), so the QC options come with each sweep.
import { parentPort } from 'node:worker_threads';
import { analyzeSweep, type SweepInput } from '../../analysis/analyze-sweep.js';
import type { ResponseQcOptions } from '../../analysis/response-qc.js';

parentPort!.on(
  'message',
  ({
    id,
    experimentId,
    sweep,
    qcOptions,
  }: {
    id: number;
    experimentId: string;
    sweep: SweepInput;
    qcOptions: ResponseQcOptions;
  }) => {
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
  },
);
