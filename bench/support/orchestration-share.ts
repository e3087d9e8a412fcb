import type { cpuBetween } from './proc-cpu.js';
import { median, type BenchRow } from './report.js';

type Cpu = ReturnType<typeof cpuBetween>;

/**
 * Issue 17 item 5: what orchestration costs as a share of a real update's CPU. Orchestration is
 * measured where it is alone, the orchestration bench's no-op update (the same module graph,
 * jobs that do nothing: worker and client, Temporal and PostgreSQL CPU per experiment); a real
 * update's CPU per experiment is the scaling bench's concurrency-1 run (worker, Temporal and
 * PostgreSQL). Both from the same `npm run bench` run; undefined unless both benches ran.
 */
export function orchestrationShareRow(details: Record<string, unknown>): BenchRow | undefined {
  const orchestration = details.orchestration as { experiments: number; mpctlCpu: Cpu[] } | undefined;
  const scaling = details.scaling as
    { experiments: number; memory: { concurrency: number; cpuSeconds: Cpu }[] } | undefined;
  const real = scaling?.memory.find((m) => m.concurrency === 1);
  if (!orchestration || !scaling || !real) return undefined;
  const noopMs =
    (1000 * median(orchestration.mpctlCpu.map((c) => c.bench + c.temporal + c.postgres))) / orchestration.experiments;
  const c = real.cpuSeconds;
  const realMs = (1000 * (c.workers + c.temporal + c.postgres)) / scaling.experiments;
  const share = noopMs / realMs;
  return {
    benchmark: 'orchestration',
    metric: "orchestration's share of a real update's CPU (no-op update vs the scaling run, per experiment)",
    unit: '%',
    mpctl: 100 * share,
    goal: '≤ 2 %',
    met: share <= 0.02,
    note: `no-op ${noopMs.toFixed(0)} ms (worker+client, Temporal, PostgreSQL) of ${realMs.toFixed(0)} ms per sample experiment (worker ${((1000 * c.workers) / scaling.experiments).toFixed(0)}, Temporal ${((1000 * c.temporal) / scaling.experiments).toFixed(0)}, PostgreSQL ${((1000 * c.postgres) / scaling.experiments).toFixed(0)})`,
  };
}
