// The other end of pair-analyses.ts: one pair's analysis per task, on a pool thread.
import { analyzePair, type FitOptions, type PairConnectivity, type PairResponse } from './pair-connectivity.js';

export interface PairTask {
  responses: PairResponse[];
  rate: number;
  options?: FitOptions;
}

/** An error as it crosses the thread: the Error itself (clone keeps its class, message, stack) and what clone drops. */
export interface ThreadError {
  error: unknown;
  name?: string;
  errorType?: string;
  file?: string;
  problem?: string;
}

export type PairOutcome = { result: PairConnectivity | null } | { failed: ThreadError };

export default function analyzeOnThread({ responses, rate, options }: PairTask): PairOutcome {
  try {
    return { result: analyzePair(responses, rate, options) };
  } catch (error) {
    // Returned, not thrown: the pool would clone the Error and drop our own fields (errorType, file).
    const e = (error ?? {}) as Partial<Record<'name' | 'errorType' | 'file' | 'problem', string>>;
    return { failed: { error, name: e.name, errorType: e.errorType, file: e.file, problem: e.problem } };
  }
}
