// Issue 16: one no-op update over an archive-sized set of experiments (5,000 by default;
// MPCTL_BENCH_SCALE_EXPERIMENTS), meant for the production server
// (`npm run bench -- --only=scale --temporal=cluster`), not CI. It measures what the
// 100,000-experiment extrapolation in deploy/README.md needs: throughput over time (does it
// degrade as the update's state, plans and visibility grow?), how often the update continued as
// new and how many plan pages it read, history sizes, and each part's CPU and database bytes
// per experiment.
import fs from 'node:fs';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { query, sql } from '../src/db/sql.js';
import { updateWorkflowId } from '../src/workflow-safe/job-ids.js';
import {
  WorkflowNames,
  progressQueryName,
  type PipelineUpdateInput,
  type UpdateProgress,
} from '../src/workflow-safe/workflow-types.js';
import { startTestPipeline } from '../test/helpers/pipeline.js';
import { noopModules } from './support/noop-modules.js';
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from './support/proc-cpu.js';
import { median, type BenchRow } from './support/report.js';
import { emptySiteFolders } from './support/site-folders.js';

const SAMPLE_EVERY_MS = 15_000;
/** The update workflow reads its plan this many experiments at a time (pipeline-update.ts PAGE). */
const PLAN_PAGE = 100;

interface Sample {
  seconds: number;
  done: number;
  cpu: CpuSnapshot;
}

export async function benchScale(quick: boolean): Promise<{ rows: BenchRow[]; details: Record<string, unknown> }> {
  const experiments = Number(process.env.MPCTL_BENCH_SCALE_EXPERIMENTS ?? (quick ? 300 : 5000));
  const parallel = Number(process.env.MPCTL_BENCH_SCALE_PARALLEL ?? 20);
  const { root } = emptySiteFolders(experiments);
  const pipeline = await startTestPipeline([root], noopModules, { maxConcurrentActivities: parallel });
  const updateId = `${pipeline.taskQueue}-scale`;
  const samples: Sample[] = [];
  let progress: UpdateProgress;
  let runs: WorkflowExecutionInfo[];
  let children: WorkflowExecutionInfo[];
  let databaseBytes: Record<string, number>;
  const bytesBefore = await databaseSizes(pipeline);
  try {
    const t0 = performance.now();
    const sample = (done: number) =>
      samples.push({ seconds: (performance.now() - t0) / 1000, done, cpu: cpuSnapshot([]) });
    sample(0);
    const handle = await pipeline.client.workflow.start(WorkflowNames.pipelineUpdate, {
      taskQueue: pipeline.taskQueue,
      workflowId: updateWorkflowId(updateId),
      args: [{ updateId, modules: pipeline.registry.names, parallel } satisfies PipelineUpdateInput],
    });
    const result = handle.result() as Promise<UpdateProgress>;
    let finished = false;
    void result.finally(() => (finished = true)).catch(() => undefined);
    while (!finished) {
      await Promise.race([result, new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS))]).catch(() => undefined);
      if (finished) break;
      // The handle follows the chain of continued-as-new runs to the current one.
      const now = await handle.query<UpdateProgress>(progressQueryName).catch(() => undefined);
      if (now) sample(now.experiments.done);
      console.error(
        `  scale: ${now?.experiments.done ?? '?'} / ${experiments} at ${samples.at(-1)!.seconds.toFixed(0)} s`,
      );
    }
    progress = await result;
    sample(progress.experiments.done);
    if (progress.experiments.succeeded !== experiments)
      throw new Error(
        `the update processed ${progress.experiments.succeeded} of ${experiments} experiments: ${JSON.stringify(progress).slice(0, 2000)}`,
      );
    runs = await listAll(pipeline, `WorkflowId = '${updateWorkflowId(updateId)}'`);
    children = await listAll(pipeline, `WorkflowType = '${WorkflowNames.processExperiment}'`, 200);
    databaseBytes = diffSizes(bytesBefore, await databaseSizes(pipeline));
  } finally {
    await pipeline.close();
    fs.rmSync(root, { recursive: true, force: true });
  }

  const seconds = samples.at(-1)!.seconds;
  const rate = experiments / seconds;
  const windows = samples.slice(1).map((s, i) => {
    const c = cpuBetween(samples[i]!.cpu, s.cpu);
    const done = s.done - samples[i]!.done;
    return {
      fromSeconds: Math.round(samples[i]!.seconds),
      rate: done / (s.seconds - samples[i]!.seconds),
      // mpctl's own parts only: what one experiment costs, whatever else the machine is doing.
      cpuMsPerExperiment: done ? (1000 * (c.bench + c.temporal + c.postgres)) / done : Number.NaN,
      otherCores: c.other / c.wallSeconds,
    };
  });
  // Early and late in the run, steady windows only (the first holds planning, the last the tail).
  const steady = windows.slice(1, -1);
  const tenth = Math.max(1, Math.floor(steady.length / 10));
  const tenths = (pick: (w: (typeof windows)[number]) => number, whole: number) =>
    steady.length ? [median(steady.slice(0, tenth).map(pick)), median(steady.slice(-tenth).map(pick))] : [whole, whole];
  const [early, late] = tenths((w) => w.rate, rate);
  const [earlyOthers, lateOthers] = tenths((w) => w.otherCores, 0);
  const [earlyCpu, lateCpu] = tenths((w) => w.cpuMsPerExperiment, Number.NaN);
  const cpu = cpuBetween(samples[0]!.cpu, samples.at(-1)!.cpu);
  const perExperimentMs = (s: number) => (s * 1000) / experiments;
  const history = (list: WorkflowExecutionInfo[]) => ({
    events: median(list.map((w) => w.historyLength)),
    maxEvents: Math.max(...list.map((w) => w.historyLength)),
    bytes: median(list.map((w) => w.historySize ?? 0)),
  });
  const updateHistory = history(runs);
  const childHistory = history(children);
  const bytesPerExperiment = Object.fromEntries(
    Object.entries(databaseBytes).map(([name, bytes]) => [name, Math.round(bytes / experiments)]),
  );
  return {
    rows: [
      {
        benchmark: 'scale',
        metric: `one no-op update over ${experiments} experiments, parallel ${parallel}`,
        unit: 'exp/s',
        mpctl: rate,
        note: `${seconds.toFixed(0)} s; CPU ms per experiment: worker+client ${perExperimentMs(cpu.bench).toFixed(0)}, Temporal ${perExperimentMs(cpu.temporal).toFixed(0)}, PostgreSQL ${perExperimentMs(cpu.postgres).toFixed(0)} (others on the machine ${perExperimentMs(cpu.other).toFixed(0)})`,
      },
      {
        benchmark: 'scale',
        metric: 'throughput in the last tenth of the run vs the first (degradation as state grows)',
        unit: 'exp/s',
        mpctl: late,
        baseline: early,
        baselineName: 'first tenth',
        ratio: late / early,
        goal: '≥ 0.8',
        met: late / early >= 0.8,
        note: `others on the machine used ${earlyOthers!.toFixed(2)} cores in the first tenth, ${lateOthers!.toFixed(2)} in the last`,
      },
      {
        benchmark: 'scale',
        metric: "mpctl's CPU per experiment (worker, Temporal, PostgreSQL) in the last tenth vs the first",
        unit: 'ms',
        mpctl: lateCpu!,
        baseline: earlyCpu!,
        baselineName: 'first tenth',
        // Higher is better: less CPU per experiment late in the run than early.
        ratio: earlyCpu! / lateCpu!,
        goal: '≥ 0.8',
        met: earlyCpu! / lateCpu! >= 0.8,
      },
      {
        benchmark: 'scale',
        metric: `update runs (continue-as-new) and plan pages of ${PLAN_PAGE}`,
        unit: 'runs',
        mpctl: runs.length,
        note: `${Math.ceil(experiments / PLAN_PAGE)} plan pages; update history per run median ${updateHistory.events} events (max ${updateHistory.maxEvents}), ${(updateHistory.bytes / 1024).toFixed(0)} KiB; processExperiment median ${childHistory.events} events, ${(childHistory.bytes / 1024).toFixed(1)} KiB`,
      },
      {
        benchmark: 'scale',
        metric: 'database bytes per experiment',
        unit: 'B',
        mpctl: Object.values(bytesPerExperiment).reduce((a, b) => a + b, 0),
        note: Object.entries(bytesPerExperiment)
          .map(([name, bytes]) => `${name} ${bytes}`)
          .join(', '),
      },
    ],
    details: {
      experiments,
      parallel,
      seconds,
      windows,
      cpuSeconds: cpu,
      updateRuns: runs.length,
      updateHistory,
      childHistory,
      childHistoriesSampled: children.length,
      databaseBytes,
      loadAverage: fs.readFileSync('/proc/loadavg', 'utf8').trim(),
    },
  };
}

async function listAll(
  pipeline: Awaited<ReturnType<typeof startTestPipeline>>,
  filter: string,
  max = Infinity,
): Promise<WorkflowExecutionInfo[]> {
  const out: WorkflowExecutionInfo[] = [];
  for await (const wf of pipeline.client.workflow.list({ query: filter })) {
    out.push(wf);
    if (out.length >= max) break;
  }
  return out;
}

/** Every database's size on the bench's PostgreSQL (mpctl's and, on the production server, Temporal's). */
async function databaseSizes(pipeline: Awaited<ReturnType<typeof startTestPipeline>>): Promise<Record<string, number>> {
  const rows = await query<{ name: string; bytes: string }>(
    pipeline.db.orm.em.fork(),
    sql`SELECT datname AS name, pg_database_size(datname)::text AS bytes FROM pg_database WHERE NOT datistemplate`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
}

function diffSizes(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const grown: Record<string, number> = {};
  for (const [name, bytes] of Object.entries(after)) {
    const delta = bytes - (before[name] ?? 0);
    if (delta > 64 * 1024) grown[name] = delta;
  }
  return grown;
}
