import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '../../src/util/wait.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');

export interface WorkerProcessOptions {
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  taskQueue: string;
  dataRoots: string[];
  /** Module jobs the worker runs at once (MPCTL_MAX_CONCURRENT_ACTIVITIES). */
  concurrency: number;
  logFile: string;
  /** Extra node flags, e.g. --cpu-prof for profiling a worker. */
  nodeArgs?: string[];
  env?: Record<string, string>;
}

export interface WorkerProcess {
  child: ChildProcess;
  logFile: string;
  /** Peak resident memory seen while it ran, in MiB (sampled every 250 ms from /proc). */
  peakRssMiB(): number;
  /** Resolves once the worker says it is polling its task queue. */
  ready(timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Resident memory of a process in MiB, or undefined once it has exited. */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return undefined;
  }
}

/** A real `mpctl worker` process, as the embedded stack or a container runs it. */
export function spawnWorkerProcess(options: WorkerProcessOptions): WorkerProcess {
  const out = fs.openSync(options.logFile, 'a');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, 'worker'], {
    stdio: ['ignore', out, out],
    env: {
      ...process.env, MPCTL_DATABASE_URL: options.databaseUrl, TEMPORAL_ADDRESS: options.temporalAddress, TEMPORAL_NAMESPACE: options.namespace,
      MPCTL_TASK_QUEUE: options.taskQueue, MPCTL_DATA_ROOTS: options.dataRoots.join(':'), MPCTL_HEALTH_PORT: '0',
      MPCTL_MAX_CONCURRENT_ACTIVITIES: String(options.concurrency), MPCTL_SHUTDOWN_GRACE_SECONDS: '5', ...options.env,
    },
  });
  fs.closeSync(out);
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, rssMiB(child.pid!) ?? 0);
  }, 250);
  child.once('exit', () => clearInterval(sample));
  return {
    child, logFile: options.logFile,
    peakRssMiB: () => peak,
    async ready(timeoutMs = 60_000) {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
        if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode} before polling; see ${options.logFile}`);
        if (fs.readFileSync(options.logFile, 'utf8').includes('worker polling task queue')) return;
      }
      throw new Error(`worker not polling after ${timeoutMs} ms; see ${options.logFile}`);
    },
    stop: (signal = 'SIGTERM') => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    }),
  };
}
