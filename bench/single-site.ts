// One new site (the live-ingestion case) through every module on one `mpctl worker`, its
// connection_strength fits on 1 thread and on every core (MPCTL_ANALYSIS_THREADS), against the
// single-threaded numpy/scipy reference of the same site's computation (bench/reference/site.py),
// whose outputs are asserted to agree with the stored rows first.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { query, sql } from '../src/db/sql.js';
import { ANALYSIS_THREADS_ENV } from '../src/modules/connection_strength/analysis-threads.js';
import { analyzePairs, closeAnalysisThreads } from '../src/modules/connection_strength/pair-analyses.js';
import { createRegistry } from '../src/modules/index.js';
import { simulateSite } from '../src/sample-data/physiology/index.js';
import { writeSampleData } from '../src/sample-data/write-sample-data.js';
import { updateWorkflowId } from '../src/workflow-safe/job-ids.js';
import { WorkflowNames, type PipelineUpdateInput, type UpdateProgress } from '../src/workflow-safe/workflow-types.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { TEST_NAMESPACE, testServers } from '../test/helpers/servers.js';
import { siteResponses, simulatedSweeps } from '../test/helpers/site-analysis.js';
import { spawnWorker } from '../test/helpers/worker-process.js';
import { referenceCut } from './nwb-import.js';
import { moduleCosts, type ModuleCost } from './support/module-costs.js';
import { cpuBetween, cpuSnapshot } from './support/proc-cpu.js';
import { referencePython } from './support/python.js';
import { ReferenceProcess, type Flat } from './support/reference-process.js';
import { median, type BenchRow } from './support/report.js';
import {
  assertSiteAgree,
  SITE_TOLERANCES_WHY,
  siteOutputs,
  writeSiteInputs,
  type SiteAgreement,
} from './support/site-reference.js';

interface SiteSizes {
  cells: number;
  sweepsPerCell: number;
  rounds: number;
}

const FULL: SiteSizes = { cells: 8, sweepsPerCell: 5, rounds: 3 };
const QUICK: SiteSizes = { cells: 6, sweepsPerCell: 5, rounds: 1 };

/** `mpctl sample-data --slices 1 --sites-per-slice 1`, written once per size into the temp dir. */
async function siteRoot(s: SiteSizes): Promise<{ root: string; nwb: string }> {
  const root = path.join(os.tmpdir(), 'mpctl-bench', `single-site-c${s.cells}-w${s.sweepsPerCell}-v1`);
  if (!fs.existsSync(path.join(root, '.complete'))) {
    fs.rmSync(root, { recursive: true, force: true });
    console.error(`  writing one ${s.cells}-cell sample site to ${root}…`);
    await writeSampleData({
      out: root,
      slices: 1,
      sitesPerSlice: 1,
      cells: s.cells,
      sweepsPerCell: s.sweepsPerCell,
      seed: 11,
    });
    fs.writeFileSync(path.join(root, '.complete'), '');
  }
  const nwb = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.nwb'))!;
  return { root, nwb: path.join(root, nwb) };
}

interface SiteRun {
  threads: number;
  seconds: number;
  workerCpuSeconds: number;
  peakRssMiB: number;
  modules: ModuleCost[];
  /** md5 of connection_strength's three tables (ids left out): both thread counts must write the same. */
  digest: string;
  /** The stored outputs in the site reference's columns. */
  outputs: Flat;
}

/**
 * One update of the site on a fresh database and a fresh worker whose fits use `threads` threads;
 * with `reference`, also writes the site reference's inputs (ids from this database).
 */
async function runSite(
  client: Client,
  root: string,
  threads: number,
  reference?: { nwb: string; dir: string },
): Promise<SiteRun> {
  const servers = await testServers();
  const db = await createTestDatabase();
  const taskQueue = `bench-site-${crypto.randomBytes(3).toString('hex')}`;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-bench-site-logs-'));
  const worker = spawnWorker({
    temporalAddress: servers.temporalAddress,
    namespace: TEST_NAMESPACE,
    databaseUrl: db.url,
    taskQueue,
    dataRoots: [root],
    concurrency: 4,
    logFile: path.join(logDir, 'worker.log'),
    env: { [ANALYSIS_THREADS_ENV]: String(threads) },
  });
  try {
    await worker.ready();
    const before = cpuSnapshot([worker.child.pid!]);
    const t0 = performance.now();
    const progress: UpdateProgress = await client.workflow.execute(WorkflowNames.pipelineUpdate, {
      taskQueue,
      workflowId: updateWorkflowId(taskQueue),
      args: [{ updateId: taskQueue, modules: createRegistry().names, parallel: 1 } satisfies PipelineUpdateInput],
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuBetween(before, cpuSnapshot([worker.child.pid!]));
    if (progress.experiments.succeeded !== 1)
      throw new Error(`single-site: the site failed (${JSON.stringify(progress.failures)}); log in ${logDir}`);
    const em = db.orm.em.fork();
    const [{ digest }] = await query<{ digest: string }>(
      em,
      sql`SELECT md5(
        (SELECT string_agg((to_jsonb(t) - 'id')::text, '|' ORDER BY t.pair_id) FROM connection_strength t) ||
        (SELECT string_agg((to_jsonb(t) - 'id')::text, '|' ORDER BY t.pair_id, t.pulse_number) FROM average_response t) ||
        coalesce((SELECT string_agg((to_jsonb(t) - 'id')::text, '|' ORDER BY t.pair_id) FROM connection_strength_vc t), '')
      ) AS digest`,
    );
    if (reference) await writeSiteInputs(em, reference.nwb, reference.dir);
    return {
      threads,
      seconds,
      workerCpuSeconds: cpu.workers,
      peakRssMiB: worker.peakRssMiB(),
      modules: await moduleCosts(em),
      digest,
      outputs: await siteOutputs(em),
    };
  } finally {
    await worker.stop();
    await db.drop();
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

/** connection_strength's fits alone, in this process: every pair of a simulated site, wall and CPU seconds (all threads). */
async function fitsInProcess(
  cells: number,
  threads: number[],
  rounds: number,
): Promise<Map<number, { wall: number[]; cpu: number[] }>> {
  const site = simulateSite({ cells, sweeps: 5 * cells, seed: 11 });
  const sweeps = simulatedSweeps(site);
  const { rate, perPair } = siteResponses('bench', sweeps);
  const tasks = [...perPair.values()].map((responses) => ({ responses, rate }));
  const signal = new AbortController().signal;
  const out = new Map(threads.map((n) => [n, { wall: [] as number[], cpu: [] as number[] }]));
  const run = async (n: number, record: boolean) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for await (const _ of analyzePairs(tasks, signal, n));
    const c = process.cpuUsage(c0);
    if (record) {
      out.get(n)!.wall.push((performance.now() - t0) / 1000);
      out.get(n)!.cpu.push((c.user + c.system) / 1e6);
    }
  };
  // Warm: JIT here, thread start-up and module loading in the pool.
  for (const n of threads) await run(n, false);
  for (let r = 0; r < rounds; r++) for (const n of r % 2 ? [...threads].reverse() : threads) await run(n, true);
  await closeAnalysisThreads();
  return out;
}

export async function benchSingleSite(
  quick: boolean,
  sizes?: SiteSizes,
): Promise<{ rows: BenchRow[]; details: Record<string, unknown> }> {
  const s = sizes ?? (quick ? QUICK : FULL);
  const cores = os.availableParallelism();
  const { root, nwb } = await siteRoot(s);
  const python = referencePython();
  referenceCut(python, nwb); // warm: page cache, imports
  const servers = await testServers();
  const connection = await Connection.connect({ address: servers.temporalAddress });
  const client = new Client({ connection, namespace: TEST_NAMESPACE });
  const runs: SiteRun[] = [];
  const reference: number[] = [];
  const referenceCpu: number[] = [];
  const site = { wall: [] as number[], cpu: [] as number[] };
  // MPCTL_BENCH_REFERENCE_INPUTS=dir keeps the site reference's inputs there, to run or profile it alone.
  const keep = process.env.MPCTL_BENCH_REFERENCE_INPUTS;
  const siteDir = keep ? path.join(keep, 'site') : fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-site-ref-'));
  let siteRef: ReferenceProcess | undefined;
  let agreement: SiteAgreement | undefined;
  const referenceRound = async () => {
    const r = await siteRef!.run();
    site.wall.push(r.wall);
    site.cpu.push(r.cpu);
    const cut = referenceCut(python, nwb);
    reference.push(cut.seconds);
    referenceCpu.push(cut.cpu_seconds);
  };
  try {
    for (let round = 0; round < s.rounds; round++) {
      // Alternate which goes first so a burst of load elsewhere does not favour one side.
      if (round % 2) await referenceRound();
      for (const threads of round % 2 ? [cores, 1] : [1, cores]) {
        console.error(`  round ${round + 1}: fits on ${threads} thread(s)…`);
        const run = await runSite(client, root, threads, siteRef ? undefined : { nwb, dir: siteDir });
        runs.push(run);
        if (!siteRef) {
          // Started once the first run gave the ids; warmed (imports, page cache) and checked before any timing.
          siteRef = new ReferenceProcess(python, 'site.py', siteDir);
          await siteRef.run();
          agreement = assertSiteAgree(run.outputs, siteRef.outputs());
        }
      }
      if (!(round % 2)) await referenceRound();
    }
  } finally {
    siteRef?.close();
    if (!keep) fs.rmSync(siteDir, { recursive: true, force: true });
    await connection.close();
  }
  const digests = new Set(runs.map((r) => r.digest));
  if (digests.size !== 1) throw new Error(`single-site: 1 and ${cores} threads wrote different rows (${[...digests]})`);
  const one = runs.filter((r) => r.threads === 1);
  const all = runs.filter((r) => r.threads === cores);
  const wall = (rs: SiteRun[]) => median(rs.map((r) => r.seconds));
  const moduleWall = (rs: SiteRun[], m: string) =>
    median(rs.map((r) => r.modules.find((c) => c.module === m)?.wallMs ?? Number.NaN)) / 1000;
  const phases = (rs: SiteRun[]) =>
    `dataset ${moduleWall(rs, 'dataset').toFixed(2)} s, pulse_response ${moduleWall(rs, 'pulse_response').toFixed(2)} s, connection_strength ${moduleWall(rs, 'connection_strength').toFixed(2)} s; worker CPU ${median(rs.map((r) => r.workerCpuSeconds)).toFixed(2)} s, peak RSS ${median(rs.map((r) => r.peakRssMiB)).toFixed(0)} MiB`;
  const refS = median(reference);
  const siteS = median(site.wall);
  const fits = await fitsInProcess(s.cells, [1, cores], s.rounds + 1);
  const fit1 = median(fits.get(1)!.wall);
  const fitN = median(fits.get(cores)!.wall);
  const pairs = s.cells * (s.cells - 1);
  const rows: BenchRow[] = [
    {
      benchmark: 'single-site',
      metric: `one ${s.cells}-cell site end to end, fits on ${cores} threads vs 1`,
      unit: 's',
      mpctl: wall(all),
      baseline: wall(one),
      baselineName: '1 thread',
      ratio: wall(one) / wall(all),
      note: `update wall time, every module, 1 worker; per job on ${cores} threads: ${phases(all)}; on 1 thread: ${phases(one)}; rows identical (md5)`,
    },
    {
      benchmark: 'single-site',
      metric: `one ${s.cells}-cell site end to end (${cores} threads) vs its numpy/scipy reference (1 thread)`,
      unit: 's',
      mpctl: wall(all),
      baseline: siteS,
      baselineName: 'h5py+numpy+scipy, 1 thread',
      ratio: siteS / wall(all),
      goal: 'ratio ≥ 1.5',
      met: siteS / wall(all) >= 1.5,
      note: `bench/reference/site.py: h5py reads, dataset_sweep, response_measure, intrinsic medians, scipy.stats and psp_fit per pair (${median(site.cpu).toFixed(2)} CPU s, BLAS 1 thread, timed inside the process); outputs asserted equal first (${SITE_TOLERANCES_WHY}; worst column at ${Math.max(...Object.values(agreement!.worst)).toPrecision(2)} of its tolerance; ${agreement!.parted.length} of ${agreement!.fittedPairs} fits parted, NRMSE ${agreement!.parted.map((p) => `${p.mpctlNrmse.toPrecision(5)} vs ${p.referenceNrmse.toPrecision(5)}`).join(', ') || '—'}); mpctl's figure also has the database writes and orchestration; 1 thread: ratio ${(siteS / wall(one)).toFixed(2)}; ${s.rounds} alternating rounds, medians`,
    },
    {
      benchmark: 'single-site',
      metric: `one ${s.cells}-cell site end to end (${cores} threads) vs h5py read+cut only (unlike work)`,
      unit: 's',
      mpctl: wall(all),
      baseline: refS,
      baselineName: 'h5py+numpy read+cut, 1 thread',
      ratio: refS / wall(all),
      note: `for orientation, not the goal: bench/reference/nwb_cut.py (${median(referenceCpu).toFixed(2)} CPU s) only reads and cuts; mpctl's figure is every module (QC, measures, fits, rows written, orchestration)`,
    },
    {
      benchmark: 'single-site',
      metric: `connection_strength fits in process, ${pairs} pairs, ${cores} threads vs 1`,
      unit: 's',
      mpctl: fitN,
      baseline: fit1,
      baselineName: '1 thread',
      ratio: fit1 / fitN,
      note: `analyzePairs over a simulated ${s.cells}-cell site (no servers), wall, ${s.rounds + 1} alternating rounds, medians; CPU (all threads) ${median(fits.get(cores)!.cpu).toFixed(2)} s on ${cores} threads, ${median(fits.get(1)!.cpu).toFixed(2)} s on 1`,
    },
  ];
  return {
    rows,
    details: {
      sizes: s,
      cores,
      nwb,
      runs: runs.map(({ outputs: _, ...r }) => r),
      siteReference: site,
      siteAgreement: agreement,
      readCutSeconds: reference,
      readCutCpuSeconds: referenceCpu,
      fits: Object.fromEntries(fits),
    },
  };
}
