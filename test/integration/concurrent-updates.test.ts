import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { experimentWorkflowId, updateWorkflowId } from '../../src/workflow-safe/job-ids.js';
import { WorkflowNames, type UpdateProgress } from '../../src/workflow-safe/workflow-types.js';
import { metadataModules } from '../../src/modules/index.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRoot } from '../helpers/sample.js';

describe('updates started together', () => {
  const { root, experiments } = sampleRoot(2, 3, 3, 44);
  let p: TestPipeline;
  before(async () => {
    // Two activity slots and two waiting updates: a wait that held a slot would starve the running update.
    p = await startTestPipeline([root], metadataModules, { maxConcurrentActivities: 2 });
  });
  after(async () => p?.close());

  it(
    'run one after the other: every job runs once, the later updates find nothing left to do',
    { timeout: 120_000 },
    async () => {
      const start = (id: string) =>
        p.client.workflow.start(WorkflowNames.pipelineUpdate, {
          taskQueue: p.taskQueue,
          workflowId: updateWorkflowId(id),
          args: [{ updateId: id, modules: p.registry.names, parallel: 2 }],
        });
      const [a, b] = await Promise.all([start('together-a'), start('together-b')]);
      const c = await start('while-running-c');
      const results = (await Promise.all([a.result(), b.result(), c.result()])) as UpdateProgress[];
      const jobsRun = results.map((r) => Object.values(r.modules).reduce((n, m) => n + m.succeeded, 0));
      assert.equal(
        jobsRun.reduce((x, y) => x + y, 0),
        2 + experiments.length,
        `jobs per update: ${JSON.stringify(results.map((r) => [r.modules, r.warnings]))}`,
      );
      assert.equal(jobsRun.filter((n) => n > 0).length, 1, 'exactly one update did the work');
      assert.ok(results.filter((r) => r.warnings.some((w) => w.startsWith('waited for update'))).length >= 2);
      const records = await query<{ attempts: number }>(p.db.orm.em.fork(), sql`SELECT attempts FROM pipeline_job`);
      assert.equal(records.length, 2 + experiments.length);
      for (const id of experiments) {
        let runs = 0;
        for await (const _ of p.client.workflow.list({ query: `WorkflowId = '${experimentWorkflowId(id)}'` })) runs++;
        assert.equal(runs, 1, `${id} was processed by one workflow run`);
      }
    },
  );
});
