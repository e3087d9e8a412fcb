import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { query, sql } from '../../src/db/sql.js';
import { experimentWorkflowId, updateWorkflowId } from '../../src/workflow-safe/job-ids.js';
import {
  WorkflowNames,
  type PipelineUpdateInput,
  type UpdateProgress,
} from '../../src/workflow-safe/workflow-types.js';
import { sleep } from '../../src/util/wait.js';
import { digestResults, type TableDigest } from '../faults/digest.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { sampleRootWithNwb } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';
import { createRegistry } from '../../src/modules/index.js';
import { spawnWorker } from '../helpers/worker-process.js';

// The real worker runs the real module registry, so the long job is a real one: the dataset
// job of one large sample experiment (8 cells × 10 sweeps each), which takes seconds and
// checks for cancellation between sweeps. No test-only hook in the product is needed.
const registry = createRegistry();
const MODULES = registry.select([':dataset']);
const DATASET_TABLES = registry.get('dataset').tables;
/** Time past the grace (the current sweep, the rollback, closing connections) plus slack for a shared machine. */
const EXIT_MARGIN_S = 10;

interface JobRecord {
  status: string;
  attempts: number;
  worker_identity: string;
  finished_at: string | null;
  duration_ms: number | null;
  row_counts: Record<string, number> | null;
}

describe('mpctl worker: SIGTERM while a job runs', () => {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-shutdown-'));
  let data: { root: string; experiments: string[] };
  let temporalAddress: string;
  let connection: Connection;
  let client: Client;
  let reference: Record<string, TableDigest> | undefined;
  let cleanup: Array<() => Promise<unknown>> = [];

  before(async () => {
    ({ temporalAddress } = await testServers());
    connection = await Connection.connect({ address: temporalAddress });
    client = new Client({ connection, namespace: TEST_NAMESPACE });
    data = await sampleRootWithNwb({ slices: 1, sitesPerSlice: 1, cells: 8, sweepsPerCell: 10, seed: 23 });
  });
  // Each test leaves nothing behind, even when it fails: experiment workflow ids are business
  // keys, so a workflow left running would make the next update skip the experiment.
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup = [];
  });
  after(async () => {
    await connection?.close();
  });

  /** A fresh database and task queue, one worker, and an update whose dataset job has started. */
  async function runUntilDatasetStarts(graceSeconds: number) {
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    const taskQueue = `shutdown-${crypto.randomBytes(4).toString('hex')}`;
    const start = (name: string, grace: number) => {
      const w = spawnWorker({
        databaseUrl: db.url,
        temporalAddress,
        namespace: TEST_NAMESPACE,
        taskQueue,
        dataRoots: [data.root],
        logFile: path.join(logDir, `${taskQueue}-${name}.log`),
        shutdownGraceSeconds: grace,
        concurrency: 2,
      });
      cleanup.push(() => w.stop('SIGKILL'));
      return w;
    };
    const first = start('first', graceSeconds);
    const healthUrl = await first.ready();
    const updateId = taskQueue;
    const handle = await client.workflow.start(WorkflowNames.pipelineUpdate, {
      taskQueue,
      workflowId: updateWorkflowId(updateId),
      args: [{ updateId, modules: MODULES, parallel: 1 } satisfies PipelineUpdateInput],
    });
    cleanup.push(
      () => handle.terminate('test cleanup'),
      () => client.workflow.getHandle(experimentWorkflowId(data.experiments[0]!)).terminate('test cleanup'),
    );
    await pollUntil(
      'the dataset job to start',
      async () => ((await datasetRecord(db))?.status === 'running' ? true : undefined),
      120_000,
    );
    return { db, first, healthUrl, start, result: () => handle.result() as Promise<UpdateProgress> };
  }

  test('a job shorter than the grace time is finished by the worker that got SIGTERM, which then exits 0', async () => {
    const { db, first, healthUrl, start, result } = await runUntilDatasetStarts(60);
    const sigterm = Date.now();
    first.child.kill('SIGTERM');
    // Draining: still alive, but no longer ready, so Kubernetes stops sending it anything.
    const draining = await pollUntil(
      '/ready to answer 503',
      async () => {
        const [health, ready] = await Promise.all([fetch(`${healthUrl}/health`), fetch(`${healthUrl}/ready`)]);
        return ready.status === 503 ? health.status : undefined;
      },
      10_000,
    );
    const stillRunning = (await datasetRecord(db))?.status;
    const exit = await first.exited;
    const exitSeconds = (exit.at - sigterm) / 1000;
    const record = await datasetRecord(db);
    const afterJobSeconds = (exit.at - new Date(record?.finished_at ?? 0).getTime()) / 1000;
    console.log(
      `# grace 60 s: SIGTERM → exit ${exitSeconds.toFixed(1)} s, ${afterJobSeconds.toFixed(1)} s after its dataset job (${record?.status}, ${record?.duration_ms} ms) finished`,
    );
    assert.equal(draining, 200, '/health answers 200 while draining');
    assert.equal(stillRunning, 'running', 'the job was still running when /ready turned 503');
    assert.equal(exit.code, 0, `exit code ${exit.code} (signal ${exit.signal}):\n${first.output()}`);
    assert.equal(record?.status, 'succeeded');
    assert.equal(record?.worker_identity, first.identity, 'the first worker finished its own job');
    assert.equal(record?.attempts, 1);
    // It leaves as soon as its job is done, without waiting out the grace time.
    assert.ok(afterJobSeconds < EXIT_MARGIN_S, `exit came ${afterJobSeconds} s after the job finished`);
    assert.ok(exitSeconds < 60 + EXIT_MARGIN_S, `exit took ${exitSeconds} s`);
    // A second worker finishes the workflows; it must not run the finished job again.
    const second = start('second', 5);
    const progress = await result();
    await second.stop();
    assert.equal(progress.phase, 'done');
    assert.deepEqual(await datasetRecord(db), record, 'the finished job was not run again');
    await assertRowsMatchRecord(db, record!);
    reference = await digestResults(db.orm.em.fork());
  });

  test('a job longer than the grace time is handed back, the worker exits 0, and another worker finishes it once', async () => {
    const grace = 1;
    const { db, first, start, result } = await runUntilDatasetStarts(grace);
    const sigterm = Date.now();
    first.child.kill('SIGTERM');
    // The replacement comes up as the old one drains, as in a rolling update.
    const second = start('second', 5);
    const exit = await first.exited;
    const exitSeconds = (exit.at - sigterm) / 1000;
    const handedBack = await datasetRecord(db);
    assert.equal(exit.code, 0, `exit code ${exit.code} (signal ${exit.signal}):\n${first.output()}`);
    assert.equal(
      handedBack?.status,
      'cancelled',
      `the first worker cancelled and rolled back its attempt before exiting (a job that ignores cancellation, or finishes within the ${grace} s grace, ends up here)`,
    );
    const retried = await pollUntil(
      'the second worker to take the job',
      async () => {
        const r = await datasetRecord(db);
        return r?.worker_identity === second.identity ? r : undefined;
      },
      120_000,
    );
    const handoverSeconds = (Date.now() - sigterm) / 1000;
    const progress = await result();
    await second.stop();
    const record = await datasetRecord(db);
    console.log(
      `# grace ${grace} s: SIGTERM → exit ${exitSeconds.toFixed(1)} s (job left ${handedBack?.status}); running on the second worker ${handoverSeconds.toFixed(1)} s after SIGTERM (${retried.status})`,
    );
    assert.ok(exitSeconds < grace + EXIT_MARGIN_S, `exit took ${exitSeconds} s`);
    assert.equal(progress.phase, 'done');
    assert.equal(record?.status, 'succeeded');
    assert.equal(record?.worker_identity, second.identity);
    assert.equal(record?.attempts, 2, 'one attempt cancelled by shutdown, one that succeeded');
    await assertRowsMatchRecord(db, record!);
    assert.ok(reference, 'needs the results of the previous test to compare with');
    assert.deepEqual(
      await digestResults(db.orm.em.fork()),
      reference,
      'same results as the uninterrupted run: nothing lost, nothing duplicated',
    );
  });
});

async function datasetRecord(db: TestDatabase): Promise<JobRecord | undefined> {
  const rows = await query<JobRecord>(
    db.orm.em.fork(),
    sql`
    SELECT status, attempts, worker_identity, finished_at, duration_ms, row_counts FROM pipeline_job WHERE module = 'dataset'`,
  );
  assert.ok(rows.length <= 1, 'one record per job');
  return rows[0];
}

/** Polls every 50 ms (fine enough for the timings printed) until `probe` returns a value. */
async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Every row the job reported writing is there once: nothing lost, nothing left from the cancelled attempt. */
async function assertRowsMatchRecord(db: TestDatabase, record: JobRecord): Promise<void> {
  for (const table of DATASET_TABLES) {
    const [{ n }] = await query<{ n: string }>(db.orm.em.fork(), sql`SELECT count(*) AS n FROM ${sql.id(table)}`);
    assert.equal(Number(n), record.row_counts?.[table], `${table}: rows in the table vs rows the job reported`);
    assert.ok(Number(n) > 0, `${table} is empty`);
  }
}
