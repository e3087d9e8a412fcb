// CPU seconds per part of the stack, from /proc/<pid>/stat, so a benchmark can say where the
// machine's two cores went during a run (workers, PostgreSQL, Temporal, the bench itself, others).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, plus cutime + cstime of reaped children (PostgreSQL backends that exited). */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces; the fields after it are space-separated.
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const f = text.slice(close + 2).split(' ');
    return { pid, ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

export type CpuRole = 'workers' | 'postgres' | 'temporal' | 'bench' | 'other';
export type CpuSnapshot = {
  at: number;
  byPid: Map<number, { role: CpuRole; ticks: number }>;
  machineBusyTicks: number;
};

/** Busy ticks of the whole machine (all cores) since boot, from /proc/stat. */
function machineBusyTicks(): number {
  const [, ...f] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  return f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3]! - f[4]!;
}

/**
 * Every process under this one (the bench started PostgreSQL and Temporal) plus the given
 * worker pids, each with its role. Processes outside that tree count as "other" in the
 * machine total.
 */
export function cpuSnapshot(workerPids: number[]): CpuSnapshot {
  const stats = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((s): s is ProcStat => !!s);
  const byPidStat = new Map(stats.map((s) => [s.pid, s]));
  const workers = new Set(workerPids);
  const roleOf = (s: ProcStat): CpuRole | undefined => {
    if (s.pid === process.pid) return 'bench';
    for (let p: ProcStat | undefined = s, hops = 0; p && hops < 64; p = byPidStat.get(p.ppid), hops++) {
      if (workers.has(p.pid)) return 'workers';
      if (p.comm.startsWith('postgres')) return 'postgres';
      if (p.comm.startsWith('temporal')) return 'temporal';
      if (p.pid === process.pid) return 'bench';
    }
    return undefined;
  };
  const byPid = new Map<number, { role: CpuRole; ticks: number }>();
  for (const s of stats) {
    const role = roleOf(s);
    if (role) byPid.set(s.pid, { role, ticks: s.ticks });
  }
  return { at: performance.now(), byPid, machineBusyTicks: machineBusyTicks() };
}

/** CPU seconds each role used between two snapshots, and the machine's cores' worth of it. */
export function cpuBetween(
  a: CpuSnapshot,
  b: CpuSnapshot,
): Record<CpuRole, number> & { wallSeconds: number; machineBusy: number } {
  const out = { workers: 0, postgres: 0, temporal: 0, bench: 0, other: 0 };
  for (const [pid, end] of b.byPid) out[end.role] += (end.ticks - (a.byPid.get(pid)?.ticks ?? 0)) / TICKS;
  const machineBusy = (b.machineBusyTicks - a.machineBusyTicks) / TICKS;
  out.other = Math.max(0, machineBusy - out.workers - out.postgres - out.temporal - out.bench);
  return { ...out, wallSeconds: (b.at - a.at) / 1000, machineBusy };
}
