import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { query, sql } from '../src/db/sql.js';
import { createRegistry } from '../src/modules/index.js';
import { writeSampleData } from '../src/sample-data/write-sample-data.js';
import { updateWorkflowId } from '../src/workflow-safe/job-ids.js';
import { WorkflowNames, type PipelineUpdateInput, type UpdateProgress } from '../src/workflow-safe/workflow-types.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { TEST_NAMESPACE, testServers } from '../test/helpers/servers.js';
import { spawnWorker, type WorkerProcess } from '../test/helpers/worker-process.js';
import { moduleCosts, type ModuleCost } from './support/module-costs.js';
import { cpuBetween, cpuSnapshot } from './support/proc-cpu.js';
import { median, type BenchRow } from './support/report.js';

export interface ScalingSizes {
  slices: number;
  sitesPerSlice: number;
  cells: number;
  sweepsPerCell: number;
  rounds: number;
  /** Concurrent module jobs per worker for the 1-vs-2 runs (the `mpctl worker` default is 4). */
  concurrency: number;
  /** Worker concurrencies for the memory runs. */
  memoryConcurrencies: number[];
}

const FULL: ScalingSizes = {
  slices: 5,
  sitesPerSlice: 4,
  cells: 6,
  sweepsPerCell: 5,
  rounds: 2,
  concurrency: 4,
  memoryConcurrencies: [1, 2, 4],
};
const QUICK: ScalingSizes = { ...FULL, slices: 2, sitesPerSlice: 3, rounds: 1, memoryConcurrencies: [1, 4] };

/** The sample experiments, written once per size into the temp dir (the simulator is slower than a run). */
async function sampleRoot(s: ScalingSizes): Promise<{ root: string; experiments: number; sampleBytes: number }> {
  const root = path.join(
    os.tmpdir(),
    'mpctl-bench',
    `scaling-s${s.slices}x${s.sitesPerSlice}-c${s.cells}-w${s.sweepsPerCell}-v1`,
  );
  const done = path.join(root, '.complete');
  if (!fs.existsSync(done)) {
    fs.rmSync(root, { recursive: true, force: true });
    console.error(`  writing ${s.slices * s.sitesPerSlice} sample experiments to ${root}…`);
    await writeSampleData({
      out: root,
      slices: s.slices,
      sitesPerSlice: s.sitesPerSlice,
      cells: s.cells,
      sweepsPerCell: s.sweepsPerCell,
      seed: 11,
    });
    fs.writeFileSync(done, '');
  }
  const nwbs = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.nwb'));
  return {
    root,
    experiments: nwbs.length,
    sampleBytes: nwbs.reduce((n, f) => n + fs.statSync(path.join(root, f)).size, 0),
  };
}

interface RunFigures {
  workers: number;
  concurrency: number;
  seconds: number;
  experimentsPerSecond: number;
  peakRssMiB: number[];
  /** Most dataset jobs that overlapped in time on one worker, from the job records. */
  maxConcurrentDataset: number;
  cpuSeconds: ReturnType<typeof cpuBetween>;
  /** Per module, from the job records (CPU attributable to a module only at concurrency 1). */
  modules: ModuleCost[];
}

/** One update over all sample experiments with `workers` real `mpctl worker` processes on one task queue and a fresh database. */
async function runOnce(
  client: Client,
  root: string,
  experiments: number,
  workers: number,
  concurrency: number,
  nodeArgs: string[] = [],
): Promise<RunFigures> {
  const servers = await testServers();
  const db = await createTestDatabase();
  const taskQueue = `bench-scaling-${crypto.randomBytes(3).toString('hex')}`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-bench-scaling-logs-'));
  const procs: WorkerProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      procs.push(
        spawnWorker({
          temporalAddress: servers.temporalAddress,
          namespace: TEST_NAMESPACE,
          databaseUrl: db.url,
          taskQueue,
          dataRoots: [root],
          concurrency,
          logFile: path.join(logDir, `worker-${i}.log`),
          nodeArgs,
        }),
      );
    }
    await Promise.all(procs.map((p) => p.ready()));
    const updateId = taskQueue;
    const before = cpuSnapshot(procs.map((p) => p.child.pid!));
    const t0 = performance.now();
    const progress: UpdateProgress = await client.workflow.execute(WorkflowNames.pipelineUpdate, {
      taskQueue,
      workflowId: updateWorkflowId(updateId),
      args: [{ updateId, modules: createRegistry().names, parallel: experiments } satisfies PipelineUpdateInput],
    });
    const seconds = (performance.now() - t0) / 1000;
    const after = cpuSnapshot(procs.map((p) => p.child.pid!));
    if (progress.experiments.succeeded !== experiments) {
      throw new Error(
        `scaling: ${progress.experiments.succeeded} of ${experiments} experiments succeeded (${JSON.stringify(progress.failures.slice(0, 3))}); logs in ${logDir}`,
      );
    }
    return {
      workers,
      concurrency,
      seconds,
      experimentsPerSecond: experiments / seconds,
      peakRssMiB: procs.map((p) => p.peakRssMiB()),
      maxConcurrentDataset: await maxOverlap(db.orm.em.fork()),
      cpuSeconds: cpuBetween(before, after),
      modules: await moduleCosts(db.orm.em.fork()),
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await db.drop();
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

/** The largest number of dataset jobs one worker ran at the same moment (sweep over start/finish events). */
async function maxOverlap(em: Parameters<typeof query>[0]): Promise<number> {
  const [row] = await query<{ n: number }>(
    em,
    sql`
    WITH ev AS (
      SELECT worker_identity AS w, started_at AS t, 1 AS d FROM pipeline_job WHERE module = 'dataset'
      UNION ALL SELECT worker_identity, finished_at, -1 FROM pipeline_job WHERE module = 'dataset'
    )
    SELECT coalesce(max(running), 0)::int AS n FROM (
      SELECT sum(d) OVER (PARTITION BY w ORDER BY t, d) AS running FROM ev
    ) s`,
  );
  return row.n;
}

/**
 * Scaling: the realistic sample experiments end to end through every module, with one and with
 * two `mpctl worker` processes on the same task queue (alternating rounds), then one worker at
 * several concurrencies for its peak memory per concurrent dataset job.
 */
export async function benchScaling(
  quick: boolean,
  sizes?: ScalingSizes,
): Promise<{ rows: BenchRow[]; details: Record<string, unknown> }> {
  const s = sizes ?? (quick ? QUICK : FULL);
  const { root, experiments, sampleBytes } = await sampleRoot(s);
  const servers = await testServers();
  const connection = await Connection.connect({ address: servers.temporalAddress });
  const client = new Client({ connection, namespace: TEST_NAMESPACE });
  const one: RunFigures[] = [];
  const two: RunFigures[] = [];
  const memory: RunFigures[] = [];
  try {
    for (let round = 0; round < s.rounds; round++) {
      // Alternate which goes first so a burst of load elsewhere does not favour one side.
      for (const workers of round % 2 ? [2, 1] : [1, 2]) {
        console.error(`  round ${round + 1}: ${workers} worker(s)…`);
        (workers === 1 ? one : two).push(await runOnce(client, root, experiments, workers, s.concurrency));
      }
    }
    // The 1-worker runs already measured the default concurrency; run only the others.
    for (const c of s.memoryConcurrencies.filter((c) => c !== s.concurrency)) {
      console.error(`  memory: 1 worker, concurrency ${c}…`);
      memory.push(await runOnce(client, root, experiments, 1, c));
    }
    // MPCTL_BENCH_PROFILE=dir: one more run, concurrency 1, with the worker under --cpu-prof.
    const profileDir = process.env.MPCTL_BENCH_PROFILE;
    if (profileDir) {
      console.error(`  profile: 1 worker, concurrency 1, --cpu-prof into ${profileDir}…`);
      await runOnce(client, root, experiments, 1, 1, ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`]);
    }
    if (s.memoryConcurrencies.includes(s.concurrency)) memory.push(...one);
    memory.sort((a, b) => a.concurrency - b.concurrency);
  } finally {
    await connection.close();
  }
  const rate1 = median(one.map((r) => r.experimentsPerSecond));
  const rate2 = median(two.map((r) => r.experimentsPerSecond));
  // Where the cores went: cores' worth of CPU per part of the stack, median over the runs.
  const split = (runs: RunFigures[]) =>
    (['workers', 'postgres', 'temporal', 'other'] as const)
      .map((k) => `${k} ${median(runs.map((r) => r.cpuSeconds[k] / r.seconds)).toFixed(2)}`)
      .join(', ');
  const rows: BenchRow[] = [
    {
      benchmark: 'scaling',
      metric: `${experiments} sample experiments end to end, 1 worker (concurrency ${s.concurrency})`,
      unit: 'exp/s',
      mpctl: rate1,
      note: `cores used: ${split(one)}`,
    },
    {
      benchmark: 'scaling',
      metric: `${experiments} sample experiments, 2 workers vs 1`,
      unit: 'exp/s',
      mpctl: rate2,
      baseline: rate1,
      baselineName: '1 worker',
      ratio: rate2 / rate1,
      note: `cores used: ${split(two)}`,
    },
  ];
  // At most one memory figure per concurrency: the median run's.
  const byConcurrency = new Map<number, RunFigures[]>();
  for (const m of memory) byConcurrency.set(m.concurrency, [...(byConcurrency.get(m.concurrency) ?? []), m]);
  const peaks = [...byConcurrency].map(([concurrency, runs]) => ({
    concurrency,
    rss: median(runs.map((r) => r.peakRssMiB[0]!)),
    datasetJobs: Math.min(...runs.map((r) => r.maxConcurrentDataset)),
  }));
  for (const p of peaks) {
    rows.push({
      benchmark: 'scaling',
      metric: `worker peak RSS, concurrency ${p.concurrency} (${p.datasetJobs} dataset jobs at once)`,
      unit: 'MiB',
      mpctl: p.rss,
    });
  }
  rows.push(
    ...moduleCostRows(
      memory.find((m) => m.concurrency === 1),
      experiments,
    ),
  );
  const lo = peaks[0];
  const hi = peaks[peaks.length - 1];
  if (lo && hi && hi.datasetJobs > lo.datasetJobs) {
    rows.push({
      benchmark: 'scaling',
      metric: `RSS per extra concurrent dataset job (${lo.datasetJobs}→${hi.datasetJobs})`,
      unit: 'MiB',
      mpctl: (hi.rss - lo.rss) / (hi.datasetJobs - lo.datasetJobs),
    });
  }
  return { rows, details: { sizes: s, experiments, nwbBytes: sampleBytes, oneWorker: one, twoWorkers: two, memory } };
}

/** The per-module cost table: from the concurrency-1 run, where each job had the worker to itself. */
function moduleCostRows(run: RunFigures | undefined, experiments: number): BenchRow[] {
  if (!run) return [];
  const total = run.modules.reduce((n, m) => n + m.cpuMs, 0);
  const rows: BenchRow[] = run.modules.map((m) => ({
    benchmark: 'scaling',
    metric: `module ${m.module}: worker CPU per job (1 worker, concurrency 1)`,
    unit: 'ms',
    mpctl: m.cpuMs / m.jobs,
    note: `${m.jobs} jobs, wall ${(m.wallMs / m.jobs).toFixed(0)} ms per job, ${((100 * m.cpuMs) / total).toFixed(0)} % of the jobs' CPU`,
  }));
  const c = run.cpuSeconds;
  rows.push({
    benchmark: 'scaling',
    metric: 'CPU per experiment by part (1 worker, concurrency 1)',
    unit: 'ms',
    mpctl: (1000 * c.workers) / experiments,
    note: `worker ${((1000 * c.workers) / experiments).toFixed(0)} (its jobs ${(total / experiments).toFixed(0)}), temporal ${((1000 * c.temporal) / experiments).toFixed(0)}, postgres ${((1000 * c.postgres) / experiments).toFixed(0)} ms per experiment`,
  });
  return rows;
}
