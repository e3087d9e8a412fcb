import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { metadataModules as pipelineModules } from '../../src/modules/index.js';
import { planUpdate } from '../../src/planning/planner.js';
import { cancelAndWait } from '../../src/temporal/experiment-workflows.js';
import { listFailures } from '../../src/views/jobs.js';
import { failedExperiments, resetExperiment } from '../../src/temporal/reset.js';
import { experimentWorkflowId, updateWorkflowId } from '../../src/workflow-safe/job-ids.js';
import { WorkflowNames, type DropResultsResult } from '../../src/workflow-safe/workflow-types.js';
import { resolveConfig } from '../../src/config/config.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRoot, touch } from '../helpers/sample.js';
import {
  checkModule,
  createTestModuleTables,
  downstreamModule,
  independentModule,
  slowModule,
} from '../helpers/test-modules.js';

const modules = [...pipelineModules, checkModule, downstreamModule, independentModule];

describe('operations: drop, code changes, failures and reset', () => {
  const { root, experiments } = sampleRoot(2, 2, 3, 21);
  let p: TestPipeline;
  const plan = (extra = {}) =>
    planUpdate({ orm: p.db.orm, registry: p.registry, dataRoots: [root] }, { modules: p.registry.names, ...extra });
  const records = (module: string) =>
    query<{ job_id: string; status: string; finished_at: Date; attempts: number }>(
      p.db.orm.em.fork(),
      sql`SELECT job_id, status, finished_at, attempts FROM pipeline_job WHERE module = ${module} ORDER BY job_id`,
    );
  const rows = async (table: string) =>
    Number((await query<{ n: string }>(p.db.orm.em.fork(), sql`SELECT count(*) AS n FROM ${sql.id(table)}`))[0].n);

  before(async () => {
    p = await startTestPipeline([root], modules);
    await createTestModuleTables(p.db.orm.em.fork());
    const first = await p.update();
    assert.equal(first.experiments.succeeded, 4);
  });
  after(async () => p?.close());

  it('drop removes the module and everything downstream, keeps upstream and independent modules', async () => {
    const result = (await p.client.workflow.execute(WorkflowNames.dropResults, {
      taskQueue: p.taskQueue,
      workflowId: 'drop/test-1',
      args: [{ dropId: 'test-1', module: 'check' }],
    })) as DropResultsResult;
    assert.deepEqual(result.modules, {
      downstream: { jobs: 4, rows: { test_downstream: 4 } },
      check: { jobs: 4, rows: { test_check: 4 } },
    });
    assert.equal((await rows('test_check')) + (await rows('test_downstream')), 0);
    assert.equal(await rows('test_independent'), 4);
    assert.equal((await records('experiment')).length, 4);
    const jobs = (await plan()).jobs;
    assert.deepEqual(jobs, [
      ...experiments.map((jobId) => ({ module: 'check', jobId, reason: 'new' })),
      ...experiments.map((jobId) => ({ module: 'downstream', jobId, reason: 'new' })),
    ]);
    await p.update();
    assert.deepEqual((await plan()).jobs, []);
  });

  it('a new version lists that module and its downstream as code-changed, nothing upstream', async () => {
    await p.useModules(modules.map((m) => (m.name === 'check' ? { ...m, version: '2' } : m)));
    const jobs = (await plan()).jobs;
    assert.deepEqual(
      [...new Set(jobs.map((j) => `${j.module}:${j.reason}`))],
      ['check:code-changed', 'downstream:code-changed'],
    );
    assert.equal(jobs.length, 8);
    await p.update();
  });

  it('a broken file fails its module, skips its downstream, lets the independent branch finish; reset re-runs from there', async () => {
    const target = experiments[1];
    const checkFile = path.join(root, target, 'check.txt');
    fs.writeFileSync(checkFile, 'bad: clipped trace\n');
    touch(path.join(root, target, 'pipettes.yml'));
    const progress = await p.update();
    assert.equal(progress.experiments.failed, 1);
    const status = Object.fromEntries(
      (
        await query<{ module: string; status: string }>(
          p.db.orm.em.fork(),
          sql`SELECT module, status FROM pipeline_job WHERE job_id = ${target}`,
        )
      ).map((r) => [r.module, r.status]),
    );
    assert.deepEqual(status, {
      experiment: 'succeeded',
      check: 'failed',
      downstream: 'skipped',
      independent: 'succeeded',
    });

    const failures = await listFailures(p.db.orm, resolveConfig({}, {}), {});
    assert.equal(failures.length, 1);
    assert.equal(failures[0].sourceFile, checkFile);
    assert.match(failures[0].message, /check\.txt: the check file says "bad: clipped trace"/);
    // The namespace is shared by the suite: other test files' failed experiments are not ours.
    const ours = async (module?: string) =>
      (await failedExperiments(p.client, module)).filter((e) => experiments.includes(e));
    assert.deepEqual(await ours(), [target]);
    assert.deepEqual(await ours('check'), [target]);
    assert.deepEqual(await ours('independent'), []);

    const experimentBefore = (await records('experiment')).find((r) => r.job_id === target)!;
    fs.writeFileSync(checkFile, 'fixed\n');
    const reset = await resetExperiment(p.client, target);
    assert.equal(reset.module, 'check');
    const handle = p.client.workflow.getHandle(experimentWorkflowId(target), reset.newRunId);
    const result = await handle.result();
    assert.deepEqual(result.modules, {
      experiment: 'succeeded',
      check: 'succeeded',
      downstream: 'succeeded',
      independent: 'succeeded',
    });
    const experimentAfter = (await records('experiment')).find((r) => r.job_id === target)!;
    assert.equal(
      new Date(experimentAfter.finished_at).getTime(),
      new Date(experimentBefore.finished_at).getTime(),
      'experiment was not executed again',
    );
    const history = await handle.fetchHistory();
    const scheduled = history
      .events!.filter((e) => e.activityTaskScheduledEventAttributes)
      .map(
        (e) =>
          JSON.parse(Buffer.from(e.activityTaskScheduledEventAttributes!.input!.payloads![0].data!).toString()).module,
      );
    assert.equal(
      scheduled.filter((m: string) => m === 'experiment').length,
      1,
      'experiment ran once, before the reset point',
    );
    const started = history.events!.filter((e) => e.activityTaskStartedEventAttributes).length;
    assert.ok(started >= 3);
    assert.deepEqual(
      Object.values(
        Object.fromEntries(
          (
            await query<{ module: string; status: string }>(
              p.db.orm.em.fork(),
              sql`SELECT module, status FROM pipeline_job WHERE job_id = ${target}`,
            )
          ).map((r) => [r.module, r.status]),
        ),
      ),
      ['succeeded', 'succeeded', 'succeeded', 'succeeded'],
    );
  });
});

describe('cancel during a long update', () => {
  const { root } = sampleRoot(1, 3, 2, 33);
  let p: TestPipeline;
  before(async () => {
    p = await startTestPipeline([root], [...pipelineModules, slowModule]);
    await createTestModuleTables(p.db.orm.em.fork());
  });
  after(async () => p?.close());

  it('stops every running job within 10 s, records them cancelled, and leaves no partial rows', async () => {
    const updateId = 'cancel-test';
    await p.client.workflow.start(WorkflowNames.pipelineUpdate, {
      taskQueue: p.taskQueue,
      workflowId: updateWorkflowId(updateId),
      args: [{ updateId, modules: p.registry.names, parallel: 3 }],
    });
    const running = async () =>
      Number(
        (
          await query<{ n: string }>(
            p.db.orm.em.fork(),
            sql`SELECT count(*) AS n FROM pipeline_job WHERE module = 'slow' AND status = 'running'`,
          )
        )[0].n,
      );
    for (let i = 0; i < 200 && (await running()) < 3; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await running(), 3, 'three slow jobs are running');
    const t0 = Date.now();
    const result = await cancelAndWait(p.client, [updateWorkflowId(updateId)], 30_000);
    const seconds = (Date.now() - t0) / 1000;
    assert.deepEqual(result.stillRunning, []);
    assert.ok(seconds <= 10, `stopped in ${seconds.toFixed(1)} s`);
    const slow = await query<{ status: string }>(
      p.db.orm.em.fork(),
      sql`SELECT status FROM pipeline_job WHERE module = 'slow'`,
    );
    assert.deepEqual(
      slow.map((r) => r.status),
      ['cancelled', 'cancelled', 'cancelled'],
    );
    assert.equal(
      Number((await query<{ n: string }>(p.db.orm.em.fork(), sql`SELECT count(*) AS n FROM test_slow`))[0].n),
      0,
    );
  });
});
