import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { query, sql } from '../../src/db/sql.js';
import { updateWorkflowId } from '../../src/workflow-safe/job-ids.js';
import {
  WorkflowNames,
  type PipelineUpdateInput,
  type UpdateProgress,
} from '../../src/workflow-safe/workflow-types.js';
import { sleep } from '../../src/util/wait.js';
import { composeService } from '../deploy/entrypoint.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { sampleRoot } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';
import { composeWorkerArgv, spawnWorker, workerEnvironment, type WorkerProcess } from '../helpers/worker-process.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text format, strictly: every line is a comment or `name{labels} value`. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** Sum of the samples named `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

// The worker is started exactly as docker-compose.yml's mpctl-worker service starts it (the
// Dockerfile ENTRYPOINT plus the service command, configured through the same variables),
// against the harness's real PostgreSQL and Temporal dev server: the embedded stack's parts.
describe('`mpctl worker` as docker-compose runs it: polls, processes jobs, serves /health and /metrics', () => {
  const concurrency = 3;
  const { root, experiments } = sampleRoot(2, 2, 3, 17);
  // One experiment fails on purpose, so the metrics have a second outcome to count.
  fs.writeFileSync(path.join(root, experiments[0]!, 'ignore.txt'), 'pipette 2 lost its seal\n');
  let db: TestDatabase;
  let connection: Connection;
  let worker: WorkerProcess;
  let healthUrl: string;
  let taskQueue: string;

  before(async () => {
    const { temporalAddress } = await testServers();
    db = await createTestDatabase();
    connection = await Connection.connect({ address: temporalAddress });
    taskQueue = `worker-${crypto.randomBytes(4).toString('hex')}`;
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-worker-')), 'worker.log');
    worker = spawnWorker({
      databaseUrl: db.url,
      temporalAddress,
      namespace: TEST_NAMESPACE,
      taskQueue,
      dataRoots: [root],
      logFile,
      concurrency,
    });
    healthUrl = await worker.ready();
  });
  after(async () => {
    await worker?.stop('SIGKILL');
    await connection?.close();
    await db?.drop();
  });

  test('runs the compose service command, configured by exactly the compose service variables', () => {
    assert.deepEqual(composeWorkerArgv(), ['node', 'bin/run.js', 'worker']);
    const composeNames = Object.keys(composeService('mpctl-worker').environment as Record<string, string>).sort();
    const testNames = Object.keys(
      workerEnvironment({
        databaseUrl: '',
        temporalAddress: '',
        namespace: '',
        taskQueue: '',
        dataRoots: [],
        logFile: '',
      }),
    ).sort();
    assert.deepEqual(testNames, composeNames);
  });

  test('/health answers 200 and /ready 200 once it polls', async () => {
    const health = await fetch(`${healthUrl}/health`);
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok\n');
    assert.equal((await fetch(`${healthUrl}/ready`)).status, 200);
    assert.equal((await fetch(`${healthUrl}/nothing`)).status, 404);
  });

  test('processes an update; /metrics counts its jobs by module and outcome, their durations and the SDK metrics', async () => {
    const client = new Client({ connection, namespace: TEST_NAMESPACE });
    const progress: UpdateProgress = await client.workflow.execute(WorkflowNames.pipelineUpdate, {
      taskQueue,
      workflowId: updateWorkflowId(taskQueue),
      args: [{ updateId: taskQueue, modules: ['slice', 'experiment'], parallel: 2 } satisfies PipelineUpdateInput],
    });
    assert.equal(progress.phase, 'done');
    const records = await query<{ module: string; status: string; n: string; ms: string; workers: string[] }>(
      db.orm.em.fork(),
      sql`
      SELECT module, status, count(*) AS n, sum(duration_ms) AS ms, array_agg(DISTINCT worker_identity) AS workers
      FROM pipeline_job GROUP BY module, status ORDER BY module, status`,
    );
    assert.deepEqual(
      records.map((r) => [r.module, r.status, Number(r.n)]),
      [
        ['experiment', 'failed', 1],
        ['experiment', 'succeeded', 3],
        ['slice', 'succeeded', 2],
      ],
    );
    for (const r of records) assert.deepEqual(r.workers, [worker.identity], 'every job ran on the spawned worker');

    // The SDK records a workflow's completion just after reporting it: poll briefly for it.
    let samples: Sample[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${healthUrl}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      samples = parseMetrics(await res.text());
      if (total(samples, 'temporal_workflow_completed', { workflow_type: WorkflowNames.pipelineUpdate }) === 1) break;
      await sleep(100);
    }

    // mpctl's own: one count per job record, and durations that cover what the records say.
    for (const r of records) {
      assert.equal(
        total(samples, 'mpctl_jobs_total', { module: r.module, outcome: r.status }),
        Number(r.n),
        `mpctl_jobs_total ${r.module} ${r.status}`,
      );
    }
    for (const module of ['slice', 'experiment']) {
      const jobs = records.filter((r) => r.module === module);
      const count = jobs.reduce((n, r) => n + Number(r.n), 0);
      const recordedSeconds = jobs.reduce((s, r) => s + Number(r.ms), 0) / 1000;
      const sum = total(samples, 'mpctl_job_duration_seconds_sum', { module });
      assert.equal(total(samples, 'mpctl_job_duration_seconds_count', { module }), count, `${module} duration count`);
      assert.equal(
        total(samples, 'mpctl_job_duration_seconds_bucket', { module, le: '+Inf' }),
        count,
        `${module} +Inf bucket`,
      );
      // Measured around the job, so at least the recorded time (to the ms), and not much more.
      assert.ok(
        sum >= recordedSeconds - 0.001 * count && sum <= recordedSeconds + 1,
        `${module}: duration sum ${sum} s vs records ${recordedSeconds} s`,
      );
    }

    // The process and Node runtime (prom-client's defaults), on the same endpoint.
    assert.ok(total(samples, 'process_resident_memory_bytes') > 50e6, 'resident memory of a worker');
    assert.ok(total(samples, 'process_cpu_seconds_total') > 0, 'CPU time');
    assert.ok(total(samples, 'nodejs_heap_size_used_bytes') > 0, 'V8 heap');
    assert.ok(
      samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds'),
      'event-loop lag',
    );
    assert.ok(
      samples.some((s) => s.name === 'nodejs_version_info' && s.labels.major === '24'),
      'Node 24',
    );

    // The SDK's, for this task queue: six module jobs received, the bad-input one failed, all slots free again.
    const queue = { task_queue: taskQueue };
    assert.equal(total(samples, 'temporal_activity_task_received', { ...queue, activity_type: 'runModuleJob' }), 6);
    assert.equal(total(samples, 'temporal_activity_execution_failed', { ...queue, activity_type: 'runModuleJob' }), 1);
    assert.equal(
      total(samples, 'temporal_workflow_completed', { ...queue, workflow_type: WorkflowNames.processExperiment }),
      3,
    );
    assert.equal(
      total(samples, 'temporal_workflow_completed', { ...queue, workflow_type: WorkflowNames.pipelineUpdate }),
      1,
    );
    assert.equal(
      total(samples, 'temporal_worker_task_slots_available', { ...queue, worker_type: 'ActivityWorker' }),
      concurrency,
    );
    assert.equal(total(samples, 'temporal_worker_task_slots_used', { ...queue, worker_type: 'ActivityWorker' }), 0);
  });

  test('SIGTERM when idle: exits 0 within a few seconds', async () => {
    const sent = Date.now();
    const exit = await worker.stop('SIGTERM');
    assert.equal(exit.code, 0, worker.output());
    assert.ok(exit.at - sent < 10_000, `exit took ${exit.at - sent} ms`);
    assert.match(worker.output(), /worker stopped/);
  });
});
