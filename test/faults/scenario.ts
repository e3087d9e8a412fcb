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
  /** Jobs that did not succeed, with their error: what a failed assertion prints. */
  unfinished: string[];
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
export interface ScenarioOptions {
  /** The update's modules: the built-in ones unless given (the worker also knows the shipped external ones). */
  modules?: string[];
  /** `mpctl worker` processes sharing the task queue; ctx.worker() is the first. */
  workerCount?: number;
}

export async function runScenario(
  stack: FaultStack,
  roots: string[],
  experiments: string[],
  fault: string,
  inject: ((ctx: ScenarioContext) => Promise<void>) | undefined,
  clean?: Record<string, TableDigest>,
  extraUpdates: (ctx: ScenarioContext) => Promise<UpdateProgress[]> = async () => [],
  options: ScenarioOptions = {},
): Promise<{ row: FaultRow; digest: Record<string, TableDigest> }> {
  const registry = createRegistry();
  const { modules = registry.names, workerCount = 1 } = options;
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
    startUpdate: (id) => startPipelineUpdate(stack, taskQueue, id, modules),
    succeeded,
    async waitForSucceeded(n, timeoutMs = 300_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await succeeded().catch(() => 0)) < n) {
        if (Date.now() > deadline) {
          const statuses = await query<{ status: string; n: string }>(
            orm.em.fork(),
            sql`SELECT status, count(*) AS n FROM pipeline_job GROUP BY status`,
          ).catch((error: Error) => [{ status: `unreadable: ${error.message}`, n: '' }]);
          throw new Error(
            `fewer than ${n} jobs succeeded within ${timeoutMs / 1000} s; jobs: ${statuses.map((r) => `${r.status} ${r.n}`).join(', ')}; worker log ends:\n${worker.output().slice(-3000)}`,
          );
        }
        await sleep(200);
      }
    },
  };
  // Whatever happens, the scenario's workers stop and its pool closes: a worker left running
  // keeps this test file's process (and the whole suite) alive long after the failure.
  try {
    // Modules beyond the built-ins (external ones) run once per experiment.
    const slices = new Set(experiments.map((e) => e.split('/')[0])).size;
    const totalJobs = modules.reduce((n, name) => {
      const scope = registry.names.includes(name) ? registry.get(name).scope : 'experiment';
      return n + (scope === 'slice' ? slices : experiments.length);
    }, 0);
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
    const unfinished = await query<{ module: string; job_id: string; status: string; error_message: string | null }>(
      orm.em.fork(),
      sql`SELECT module, job_id, status, error_message FROM pipeline_job WHERE status <> 'succeeded' ORDER BY job_id LIMIT 20`,
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
      unfinished: unfinished.map(
        (j) => `${j.module} ${j.job_id}: ${j.status}${j.error_message ? ` (${j.error_message})` : ''}`,
      ),
      retried: Number(retried[0].n),
      recoverSeconds,
      totalSeconds: (Date.now() - t0) / 1000,
      peakWorkerRssMiB: Math.max(...workers.map((w) => w.peakRssMiB())),
    };
    if (progress.phase !== 'done') throw new Error(`update ended in phase ${progress.phase}`);
    if (progress.failures.length) row.unfinished.push(...progress.failures.map((f) => `update: ${JSON.stringify(f)}`));
    return { row, digest };
  } finally {
    for (const w of workers) await w.stop().catch(() => undefined);
    await orm.close().catch(() => undefined);
    // A failed scenario's workflows must not outlive it: experiment workflow ids are the same in
    // every scenario, so a leftover run would make the next scenario skip those experiments.
    await terminateLeftovers(stack, taskQueue);
  }
}

async function terminateLeftovers(stack: FaultStack, taskQueue: string): Promise<void> {
  const running = stack.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` });
  for await (const run of running)
    await stack.client.workflow
      .getHandle(run.workflowId, run.runId)
      .terminate('the fault scenario ended')
      .catch(() => undefined);
}

/** Starts `mpctl update` over every module as the CLI does: one pipelineUpdate workflow. */
export async function startPipelineUpdate(
  stack: FaultStack,
  taskQueue: string,
  updateId: string,
  modules: string[] = createRegistry().names,
): Promise<{ result(): Promise<UpdateProgress> }> {
  const input: PipelineUpdateInput = { updateId, modules, parallel: 3 };
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
