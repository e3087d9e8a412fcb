import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { query, sql } from '../../src/db/sql.js';
import { updateWorkflowId } from '../../src/workflow-safe/job-ids.js';
import {
  WorkflowNames,
  type PipelineUpdateInput,
  type UpdateProgress,
} from '../../src/workflow-safe/workflow-types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { fixtureModule } from '../helpers/external-fixtures.js';
import { sampleRoot } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process.js';

// A worker started without --task-queue serves every queue the modules name. A module added while
// it runs is picked up without a restart, so a queue it names must be served too, not wait forever.
const { root, experiments } = sampleRoot(1, 2, 3, 23);
const modulePath = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-late-modules-'));
let db: TestDatabase;
let connection: Connection;
let worker: WorkerProcess;
const taskQueue = `discover-${crypto.randomBytes(4).toString('hex')}`;
const lateQueue = `${taskQueue}-late`;

before(async () => {
  const { temporalAddress } = await testServers();
  db = await createTestDatabase();
  connection = await Connection.connect({ address: temporalAddress });
  worker = spawnWorker({
    databaseUrl: db.url,
    temporalAddress,
    namespace: TEST_NAMESPACE,
    taskQueue,
    dataRoots: [root],
    logFile: path.join(modulePath, 'worker.log'),
    env: { MPCTL_MODULE_PATHS: modulePath },
  });
  await worker.ready();
});
after(async () => {
  await worker?.stop('SIGKILL');
  await connection?.close();
  await db?.drop();
});

test('a module added while the worker runs, on a queue of its own, is served by it without a restart', async () => {
  const late = fixtureModule({ name: 'late_files', yml: (y) => `${y}taskQueue: ${lateQueue}\n` });
  fs.cpSync(late.dir, path.join(modulePath, 'late_files'), { recursive: true });
  const client = new Client({ connection, namespace: TEST_NAMESPACE });
  const updateId = `${taskQueue}-1`;
  // Bounded: the update (plan, slice, experiments, the late module) within 120 s.
  const progress: UpdateProgress = await client.workflow.execute(WorkflowNames.pipelineUpdate, {
    taskQueue,
    workflowId: updateWorkflowId(updateId),
    workflowExecutionTimeout: '120 seconds',
    args: [{ updateId, modules: ['slice', 'experiment', 'late_files'], parallel: 2 } satisfies PipelineUpdateInput],
  });
  assert.equal(progress.phase, 'done');
  const jobs = await query<{ status: string; worker_identity: string }>(
    db.orm.em.fork(),
    sql`SELECT status, worker_identity FROM pipeline_job WHERE module = 'late_files'`,
  );
  assert.equal(jobs.length, experiments.length);
  for (const job of jobs) {
    assert.equal(job.status, 'succeeded');
    assert.equal(job.worker_identity, worker.identity, 'the running worker took the new queue');
  }
});
