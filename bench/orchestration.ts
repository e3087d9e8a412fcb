import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { execute, query, sql } from '../src/db/sql.js';
import { noopModules } from './support/noop-modules.js';
import { emptySiteFolders } from './support/site-folders.js';
import { startTestPipeline } from '../test/helpers/pipeline.js';
import { TEST_NAMESPACE, testServers } from '../test/helpers/servers.js';
import { cpuBetween, cpuSnapshot } from './support/proc-cpu.js';
import { updatePhases, type UpdatePhases } from './support/history-phases.js';
import { median, type BenchRow } from './support/report.js';
import { updateWorkflowId } from '../src/workflow-safe/job-ids.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * 200 experiments × 5 module activities (+ slice jobs) through mpctl, versus the same workflows,
 * children and no-op activities on bare Temporal, alternating rounds on the same servers.
 */
export async function benchOrchestration(
  quick: boolean,
): Promise<{ rows: BenchRow[]; details: Record<string, unknown> }> {
  const experiments = quick ? 40 : 200;
  const rounds = quick ? 1 : 3;
  const parallel = 20;
  const { root, slices, ids } = emptySiteFolders(experiments);
  const servers = await testServers();
  const pipeline = await startTestPipeline([root], noopModules, { maxConcurrentActivities: parallel });
  const connection = await NativeConnection.connect({ address: servers.temporalAddress });
  const baselineQueue = `${pipeline.taskQueue}-baseline`;
  const baselineWorker = await Worker.create({
    connection,
    namespace: TEST_NAMESPACE,
    taskQueue: baselineQueue,
    workflowsPath: path.join(here, 'workflows/baseline.js'),
    activities: { noop: async () => undefined },
    maxConcurrentActivityTaskExecutions: parallel,
  });
  const running = baselineWorker.run();
  const mpctlSeconds: number[] = [];
  const baselineSeconds: number[] = [];
  const meanJobMs: number[] = [];
  const mpctlPhases: UpdatePhases[] = [];
  const baselinePhases: UpdatePhases[] = [];
  // CPU seconds per part of the stack (the worker runs in this process: role "bench").
  const mpctlCpu: ReturnType<typeof cpuBetween>[] = [];
  const baselineCpu: ReturnType<typeof cpuBetween>[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      let cpu0 = cpuSnapshot([]);
      let t0 = performance.now();
      const baselineId = `baseline-update-${round}-${Date.now()}`;
      await pipeline.client.workflow.execute('baselineUpdate', {
        taskQueue: baselineQueue,
        workflowId: baselineId,
        args: [{ slices, experiments: ids, parallel, steps: experimentSteps() }],
      });
      baselineSeconds.push((performance.now() - t0) / 1000);
      baselineCpu.push(cpuBetween(cpu0, cpuSnapshot([])));
      baselinePhases.push(await updatePhases(pipeline.client.workflow.getHandle(baselineId)));

      await execute(pipeline.db.orm.em.fork(), sql`TRUNCATE pipeline_job, pipeline_plan`);
      cpu0 = cpuSnapshot([]);
      t0 = performance.now();
      const progress = await pipeline.update({ parallel });
      mpctlSeconds.push((performance.now() - t0) / 1000);
      mpctlCpu.push(cpuBetween(cpu0, cpuSnapshot([])));
      mpctlPhases.push(await updatePhases(pipeline.client.workflow.getHandle(updateWorkflowId(progress.updateId))));
      if (progress.experiments.succeeded !== experiments)
        throw new Error(`mpctl processed ${progress.experiments.succeeded} of ${experiments} experiments`);
      // How long jobs spend in the database (marker, transaction, record), to split mpctl's overhead.
      const [job] = await query<{ ms: number }>(
        pipeline.db.orm.em.fork(),
        sql`SELECT avg(duration_ms)::float AS ms FROM pipeline_job`,
      );
      meanJobMs.push(job.ms);
    }
  } finally {
    baselineWorker.shutdown();
    await running;
    await connection.close();
    await pipeline.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  const mpctlRate = experiments / median(mpctlSeconds);
  const baselineRate = experiments / median(baselineSeconds);
  return {
    rows: [
      {
        benchmark: 'orchestration',
        metric: `${experiments} experiments × 6 modules, trivial work`,
        unit: 'exp/s',
        mpctl: mpctlRate,
        baseline: baselineRate,
        baselineName: 'bare Temporal',
        ratio: mpctlRate / baselineRate,
        goal: '≥ 0.8',
        met: mpctlRate / baselineRate >= 0.8,
        note: `CPU ms per experiment, mpctl vs baseline: ${cpuPerExperiment(mpctlCpu, experiments)} vs ${cpuPerExperiment(baselineCpu, experiments)}`,
      },
    ],
    details: {
      experiments,
      rounds,
      parallel,
      mpctlSeconds,
      baselineSeconds,
      meanJobMs,
      mpctlPhases,
      baselinePhases,
      mpctlCpu,
      baselineCpu,
    },
  };
}

/** Where the cores went per experiment (median over rounds); the worker runs in the bench process. */
function cpuPerExperiment(runs: ReturnType<typeof cpuBetween>[], experiments: number): string {
  const ms = (k: 'bench' | 'temporal' | 'postgres' | 'other') =>
    ((median(runs.map((r) => r[k])) * 1000) / experiments).toFixed(0);
  return `worker+client ${ms('bench')}, temporal ${ms('temporal')}, postgres ${ms('postgres')} (others on the machine ${ms('other')})`;
}

/** The per-experiment modules and their dependencies among them, as the registry declares them. */
function experimentSteps(): [string, string[]][] {
  const perExperiment = noopModules.filter((m) => m.scope === 'experiment');
  const names = new Set(perExperiment.map((m) => m.name));
  return perExperiment.map((m) => [m.name, m.dependencies.filter((d) => names.has(d))]);
}
