import { spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import pidtree from 'pidtree';
import pidusage from 'pidusage';
import { AttemptLog } from './attempt-log.js';

export interface ProgramRun {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The job as JSON: written to stdin. */
  input: string;
  timeoutMs: number;
  memoryBytes?: number;
  signal: AbortSignal;
  /** Every stdout line that is a JSON object, in order; the program waits while it is handled. */
  onObject(value: Record<string, unknown>): Promise<void>;
  /** SIGTERM, then SIGKILL this long after. */
  killGraceMs?: number;
}

export interface ProgramResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Why mpctl stopped it, if it did. */
  stoppedBy?: 'timeout' | 'memory' | 'cancelled' | 'output';
  /** Largest resident memory of the program's processes together, as sampled. */
  peakRssBytes: number;
  log: AttemptLog;
  startedAt: Date;
  endedAt: Date;
}

const SAMPLE_EVERY_MS = 250;
const MAX_LINE = 64 << 20;
/** Linux: the program dies with the worker, so a killed worker leaves no program running. */
const SETPRIV = '/usr/bin/setpriv';

/**
 * Runs an external module's program in its own process group: the job on stdin, JSON objects from
 * stdout to `onObject`, the rest to the log. Timeout, memory limit and cancellation stop the whole
 * group, SIGTERM then SIGKILL, and the function returns only once no process of it is left.
 */
export async function runProgram(run: ProgramRun): Promise<ProgramResult> {
  const log = new AttemptLog();
  const startedAt = new Date();
  const [file, ...args] = fs.existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'KILL', '--', ...run.command] : run.command;
  const child = spawn(file!, args, { cwd: run.cwd, env: run.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  await spawned;
  const pgid = child.pid!;
  let stoppedBy: ProgramResult['stoppedBy'];
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (why: NonNullable<ProgramResult['stoppedBy']>) => {
    if (stoppedBy) return;
    stoppedBy = why;
    signalGroup(pgid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), run.killGraceMs ?? 10_000);
  };
  const onAbort = () => stop('cancelled');
  run.signal.addEventListener('abort', onAbort, { once: true });
  if (run.signal.aborted) onAbort();
  const timeout = setTimeout(() => stop('timeout'), run.timeoutMs);

  let peakRssBytes = 0;
  let sampling = false;
  const sampler = setInterval(() => {
    if (sampling) return;
    sampling = true;
    void groupRss(pgid)
      .then((rss) => {
        peakRssBytes = Math.max(peakRssBytes, rss);
        if (run.memoryBytes !== undefined && rss > run.memoryBytes) stop('memory');
      })
      .finally(() => (sampling = false));
  }, SAMPLE_EVERY_MS);

  child.stdin.on('error', () => undefined); // a program that never reads stdin closes it early
  child.stdin.end(run.input);
  const stderr = readline.createInterface({ input: child.stderr, crlfDelay: Infinity });
  stderr.on('line', (line) => log.add('stderr', line));
  let outputError: unknown;
  try {
    for await (const line of readline.createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      if (line.length > MAX_LINE)
        throw new RangeError(`a stdout line of ${line.length} bytes is over the 64 MiB limit`);
      const value = parseObject(line);
      if (value) await run.onObject(value);
      else log.add('stdout', line);
    }
  } catch (error) {
    outputError = error;
    stop('output');
  }
  const { code, signal } = await exited;
  clearTimeout(timeout);
  clearInterval(sampler);
  run.signal.removeEventListener('abort', onAbort);
  // Children that outlived the leader (and ignored SIGTERM, if it came) go too.
  signalGroup(pgid, 'SIGKILL');
  if (killTimer) clearTimeout(killTimer);
  await groupGone(pgid);
  pidusage.clear();
  if (outputError) throw outputError;
  return { exitCode: code, signal, stoppedBy, peakRssBytes, log, startedAt, endedAt: new Date() };
}

function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Waits (bounded) until no process of the group is left. */
async function groupGone(pgid: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resident memory of the group's leader and all its descendants. */
async function groupRss(leader: number): Promise<number> {
  try {
    const pids = [leader, ...(await pidtree(leader))];
    const stats = await pidusage(pids);
    return Object.values(stats).reduce((sum, s) => sum + (s?.memory ?? 0), 0);
  } catch {
    return 0; // it exited between the listing and the reading
  }
}
