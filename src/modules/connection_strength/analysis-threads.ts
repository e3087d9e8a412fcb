import os from 'node:os';
import { ConfigError } from '../../errors/index.js';

/** The environment variable that sets how many threads one worker process gives connection_strength's pair fits. */
export const ANALYSIS_THREADS_ENV = 'MPCTL_ANALYSIS_THREADS';

/** Threads for the pair fits: MPCTL_ANALYSIS_THREADS, else every core this process may use; 1 fits in the job's own thread. */
export function analysisThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[ANALYSIS_THREADS_ENV]?.trim();
  if (!raw) return os.availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${ANALYSIS_THREADS_ENV}=${raw}: expected a whole number of threads, 1 or more`);
  return n;
}
