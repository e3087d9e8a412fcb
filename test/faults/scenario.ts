import crypto from 'node:crypto';
import { query, sql } from '../../src/db/sql.js';
import type { Orm } from '../../src/db/orm.js';
import { createRegistry } from '../../src/modules/index.js';
import { updateWorkflowId } from '../../src/workflow-safe/job-ids.js';
import {
  WorkflowNames,
  type PipelineUpdateInput,
  type UpdateProgress,
} from '../../src/workflow-safe/workflow-types.js';
import { sleep } from '../../src/util/wait.js';
import { compareDigests, digestResults, type TableDigest } from './digest.js';
import type { FaultStack, WorkerProcess } from './fault-stack.js';

export interface FaultRow {
  fault: string;
  experiments: number;
  completed: number;
  lost: number;
  duplicated: number;
  changedTables: string[];
  /** Jobs that needed more than one attempt: the fault reached them and they were retried. */
  retried: number;
  recoverSeconds: number | null;
  totalSeconds: number;
  peakWorkerRssMiB: number;
}

export interface ScenarioContext {
  stack: FaultStack;
  orm: Orm;
  databaseUrl: string;
  taskQueue: string;
  /** The worker currently running; replace it with restartWorker(). */
  worker(): WorkerProcess;
  restartWorker(): WorkerProcess;
  startUpdate(id: string): Promise<{ result(): Promise<UpdateProgress> }>;
  /** Resolves once at least `n` jobs have succeeded since the scenario started. */
  waitForSucceeded(n: number, timeoutMs?: number): Promise<void>;
  succeeded(): Promise<number>;
}

/**
 * Runs one update over the data with `inject` applied once a quarter of the jobs are done,
 * and measures: experiments completed, rows lost or duplicated against `clean`, time to recover.
 */
export async function runScenario(
  stack: FaultStack,
  roots: string[],
  experiments: string[],
  fault: string,
  inject: ((ctx: ScenarioContext) => Promise<void>) | undefined,
  clean?: Record<string, TableDigest>,
  extraUpdates: (ctx: ScenarioContext) => Promise<UpdateProgress[]> = async () => [],
  /** `mpctl worker` processes sharing the task queue; ctx.worker() is the first. */
  workerCount = 1,
): Promise<{ row: FaultRow; digest: Record<string, TableDigest> }> {
  const registry = createRegistry();
  const { url, orm } = await stack.newDatabase();
  const taskQueue = `faults-${crypto.randomBytes(3).toString('hex')}`;
  const workers: WorkerProcess[] = [];
  let worker = stack.startWorker(url, taskQueue, roots, `${fault.replace(/\W+/g, '-')}-0`);
  workers.push(worker);
  for (let i = 1; i < workerCount; i++)
    workers.push(stack.startWorker(url, taskQueue, roots, `${fault.replace(/\W+/g, '-')}-${workers.length}`));
  const succeeded = async () =>
    Number(
      (
        await query<{ n: string }>(
          orm.em.fork(),
          sql`SELECT count(*) AS n FROM pipeline_job WHERE status = 'succeeded'`,
        )
      )[0].n,
    );
  const ctx: ScenarioContext = {
    stack,
    orm,
    taskQueue,
    databaseUrl: url,
    worker: () => worker,
    restartWorker: () => {
      worker = stack.startWorker(url, taskQueue, roots, `${fault.replace(/\W+/g, '-')}-${workers.length}`);
      workers.push(worker);
      return worker;
    },
    startUpdate: (id) => startPipelineUpdate(stack, taskQueue, id),
    succeeded,
    async waitForSucceeded(n, timeoutMs = 300_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await succeeded().catch(() => 0)) < n) {
        if (Date.now() > deadline) throw new Error(`fewer than ${n} jobs succeeded within ${timeoutMs / 1000} s`);
        await sleep(200);
      }
    },
  };
  // Whatever happens, the scenario's workers stop and its pool closes: a worker left running
  // keeps this test file's process (and the whole suite) alive long after the failure.
  try {
    const totalJobs = registry.ordered.reduce(
      (n, m) => n + (m.scope === 'slice' ? new Set(experiments.map((e) => e.split('/')[0])).size : experiments.length),
      0,
    );
    const t0 = Date.now();
    const main = await ctx.startUpdate(`${taskQueue}-main`);
    const others = extraUpdates(ctx);
    let recoverSeconds: number | null = null;
    if (inject) {
      await ctx.waitForSucceeded(Math.ceil(totalJobs / 4));
      const faultAt = Date.now();
      await inject(ctx);
      const before = await succeeded().catch(() => 0);
      // Recovered: the first job that finishes after the fault has been cleared.
      for (let i = 0; i < 3000 && recoverSeconds === null; i++) {
        if ((await succeeded().catch(() => 0)) > before || (await succeeded().catch(() => 0)) >= totalJobs)
          recoverSeconds = (Date.now() - faultAt) / 1000;
        else await sleep(100);
      }
    }
    const progress = await main.result();
    await Promise.all([others]);
    const digest = await digestResults(orm.em.fork());
    // Updates started through the CLI also run the external modules mpctl ships (dynamics); every
    // job of an experiment must have succeeded, and each built-in experiment module must be among them.
    const experimentModules = registry.ordered.filter((m) => m.scope === 'experiment').map((m) => m.name);
    const complete = await query<{ n: string }>(
      orm.em.fork(),
      sql`SELECT count(*) AS n FROM (
        SELECT job_id FROM pipeline_job WHERE job_id LIKE '%/%' GROUP BY job_id HAVING bool_and(status = 'succeeded')
          AND count(*) FILTER (WHERE module = ANY(${experimentModules}::text[])) = ${experimentModules.length}) t`,
    );
    const retried = await query<{ n: string }>(
      orm.em.fork(),
      sql`SELECT count(*) AS n FROM pipeline_job WHERE attempts > 1`,
    );
    const comparison = clean ? compareDigests(clean, digest) : { lost: 0, duplicated: 0, changed: [] };
    const row: FaultRow = {
      fault,
      experiments: experiments.length,
      completed: Number(complete[0].n),
      lost: comparison.lost,
      duplicated: comparison.duplicated,
      changedTables: comparison.changed,
      retried: Number(retried[0].n),
      recoverSeconds,
      totalSeconds: (Date.now() - t0) / 1000,
      peakWorkerRssMiB: Math.max(...workers.map((w) => w.peakRssMiB())),
    };
    if (progress.phase !== 'done') throw new Error(`update ended in phase ${progress.phase}`);
    return { row, digest };
  } finally {
    for (const w of workers) await w.stop().catch(() => undefined);
    await orm.close().catch(() => undefined);
  }
}

/** Starts `mpctl update` over every module as the CLI does: one pipelineUpdate workflow. */
export async function startPipelineUpdate(
  stack: FaultStack,
  taskQueue: string,
  updateId: string,
): Promise<{ result(): Promise<UpdateProgress> }> {
  const input: PipelineUpdateInput = { updateId, modules: createRegistry().names, parallel: 3 };
  return stack.client.workflow.start(WorkflowNames.pipelineUpdate, {
    taskQueue,
    workflowId: updateWorkflowId(updateId),
    args: [input],
  }) as never;
}

export function faultTable(rows: FaultRow[]): string {
  const lines = [
    '| fault | experiments | completed | lost | duplicated | retried jobs | time to recover | total | worker peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.fault} | ${r.experiments} | ${r.completed} | ${r.lost} | ${r.duplicated}${r.changedTables.length ? ` (changed: ${r.changedTables.join(', ')})` : ''} | ${r.retried} | ${r.recoverSeconds === null ? '—' : `${r.recoverSeconds.toFixed(1)} s`} | ${r.totalSeconds.toFixed(1)} s | ${r.peakWorkerRssMiB.toFixed(0)} MiB |`,
    );
  }
  return lines.join('\n');
}
