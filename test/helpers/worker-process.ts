// `mpctl worker` as a real child process, started exactly as docker-compose.yml's
// mpctl-worker service starts it, so what the tests prove holds for the container too.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeService, containerArgv } from '../deploy/entrypoint.js';
import { repoRoot } from '../deploy/support.js';
import { sleep } from '../../src/util/wait.js';

export interface WorkerProcessOptions {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  dataRoots: string[];
  logFile: string;
  shutdownGraceSeconds?: number;
  concurrency?: number;
  /** Extra node flags, e.g. --cpu-prof for profiling a worker. */
  nodeArgs?: string[];
  /** More variables, beyond the compose worker's (e.g. TEMPORAL_TLS_*, as the Helm chart sets them). */
  env?: Record<string, string>;
  /** The checkout (bin/, dist/, package.json) to run; another build's tree in the versioning test. */
  root?: string;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process exited. */
  at: number;
}

export interface WorkerProcess {
  child: ChildProcess;
  logFile: string;
  /** pid@host: what the worker writes into job records and reports to Temporal. */
  identity: string;
  exited: Promise<WorkerExit>;
  /** Peak resident memory seen while it ran, in MiB. */
  peakRssMiB(): number;
  /** Waits until /ready answers 200 (the worker polls its task queue); returns the health base URL. */
  ready(timeoutMs?: number): Promise<string>;
  output(): string;
  /** Sends `signal` (SIGTERM by default) and waits for the exit, with SIGKILL after `killAfterMs`. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<WorkerExit>;
}

/** The container's argv: the Dockerfile ENTRYPOINT followed by the compose worker's command. */
export function composeWorkerArgv(): string[] {
  return containerArgv(composeService('mpctl-worker').command as string[] | undefined);
}

/** Settings the compose worker gets through its environment; the tests set the same names. */
export function workerEnvironment(o: WorkerProcessOptions): Record<string, string> {
  return {
    MPCTL_DATABASE_URL: o.databaseUrl,
    TEMPORAL_ADDRESS: o.temporalAddress,
    TEMPORAL_NAMESPACE: o.namespace,
    MPCTL_TASK_QUEUE: o.taskQueue,
    MPCTL_DATA_ROOTS: o.dataRoots.join(':'),
    MPCTL_HEALTH_PORT: '0',
    MPCTL_SHUTDOWN_GRACE_SECONDS: String(o.shutdownGraceSeconds ?? 5),
    MPCTL_MAX_CONCURRENT_ACTIVITIES: String(o.concurrency ?? 2),
    // Fixtures are written moments before the update; compose's default is 60 s.
    MPCTL_SETTLE_SECONDS: '0',
  };
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

export function spawnWorker(o: WorkerProcessOptions): WorkerProcess {
  const [program, ...rest] = composeWorkerArgv();
  const args = program === 'node' ? [...(o.nodeArgs ?? []), ...rest] : rest;
  const log = fs.createWriteStream(o.logFile, { flags: 'a' });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-worker-home-'));
  const child = spawn(program === 'node' ? process.execPath : program!, args, {
    // The image's WORKDIR holds bin/ and dist/ as the repository root does.
    cwd: o.root ?? repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...workerEnvironment(o),
      // Not in the compose file: tests keep servers on loopback, and the state folder out of the repo.
      MPCTL_HEALTH_HOST: '127.0.0.1',
      MPCTL_HOME: home,
      ...o.env,
    },
  });
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (d: Buffer) => {
      // The log file keeps everything; memory keeps the start (health address) and the recent tail.
      output = output.length > 1 << 20 ? output.slice(0, 1 << 16) + '\n…\n' + output.slice(-(1 << 19)) : output;
      output += d.toString();
      log.write(d);
    });
  }
  const exited = new Promise<WorkerExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  // 'close' comes after the last output, which may still arrive after 'exit'.
  child.once('close', () => {
    log.end();
    fs.rmSync(home, { recursive: true, force: true });
  });
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, rssMiB(child.pid!) ?? 0);
  }, 250);
  void exited.then(() => clearInterval(sample));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    logFile: o.logFile,
    exited,
    identity: `${child.pid}@${os.hostname()}`,
    peakRssMiB: () => peak,
    output: () => output,
    async ready(timeoutMs = 60_000) {
      // Bounded poll that fails at once, with the worker's output, if the process dies.
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!alive()) throw new Error(`worker exited before it was ready:\n${output}`);
        const url = /health at (http:\/\/\S+)/.exec(output)?.[1];
        if (
          url &&
          (await fetch(`${url}/ready`).then(
            (r) => r.status,
            () => 0,
          )) === 200
        )
          return url;
        await sleep(100);
      }
      throw new Error(`worker not ready within ${timeoutMs / 1000} s:\n${output}`);
    },
    async stop(signal = 'SIGTERM', killAfterMs = 60_000) {
      if (alive()) child.kill(signal);
      // Bounded: a worker that does not exit in time is killed, so no test waits on it forever.
      const timer = setTimeout(() => alive() && child.kill('SIGKILL'), killAfterMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
