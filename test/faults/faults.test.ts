import { createRegistry } from '../../src/modules/index.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { experimentWorkflowId } from '../../src/workflow-safe/job-ids.js';
import type { UpdateProgress } from '../../src/workflow-safe/workflow-types.js';
import { sleep } from '../../src/util/wait.js';
import { query, sql } from '../../src/db/sql.js';
import { mpctl } from '../helpers/cli.js';
import { sampleRootWithNwb } from '../helpers/sample.js';
import type { TableDigest } from './digest.js';
import { FaultStack } from './fault-stack.js';
import { faultTable, runScenario, type FaultRow } from './scenario.js';

/** Twelve sample experiments (NWB and all) through the real stack and every module, under each fault, compared with a clean run. */
describe('fault suite: nothing lost, nothing duplicated', () => {
  let root: string;
  let experiments: string[];
  let stack: FaultStack;
  let clean: Record<string, TableDigest>;
  const rows: FaultRow[] = [];
  const expectWhole = (row: FaultRow) => {
    assert.equal(
      row.completed,
      experiments.length,
      `${row.fault}: every experiment completed; not succeeded:\n${row.unfinished.join('\n')}`,
    );
    assert.equal(row.lost, 0, `${row.fault}: nothing lost`);
    assert.equal(row.duplicated, 0, `${row.fault}: nothing duplicated`);
    assert.deepEqual(row.changedTables, [], `${row.fault}: every table equals the clean run`);
  };

  before(async () => {
    ({ root, experiments } = await sampleRootWithNwb({
      slices: 3,
      sitesPerSlice: 4,
      cells: 3,
      sweepsPerCell: 3,
      seed: 61,
    }));
    stack = await FaultStack.start();
    const result = await runScenario(stack, [root], experiments, 'none (clean run)', undefined);
    clean = result.digest;
    rows.push(result.row);
    assert.equal(result.row.completed, experiments.length);
  });
  after(async () => {
    const table = faultTable(rows);
    console.log(`\n${table}\n`);
    fs.mkdirSync(path.resolve('test-results'), { recursive: true });
    fs.writeFileSync(path.resolve('test-results/faults.md'), table + '\n');
    await stack?.stop();
  });

  it('the worker is killed with SIGKILL three times and restarted', async () => {
    const { row } = await runScenario(
      stack,
      [root],
      experiments,
      'worker SIGKILL ×3',
      async (ctx) => {
        for (let kill = 0; kill < 3; kill++) {
          const done = await ctx.succeeded();
          await ctx.worker().stop('SIGKILL');
          ctx.restartWorker();
          if (kill < 2) await ctx.waitForSucceeded(done + 1);
        }
      },
      clean,
    );
    rows.push(row);
    expectWhole(row);
  });

  it('the Temporal dev server is killed and restarted on the same state file', async () => {
    const { row } = await runScenario(
      stack,
      [root],
      experiments,
      'Temporal server SIGKILL + restart',
      async (ctx) => {
        ctx.stack.killTemporal();
        await sleep(1000);
        await ctx.stack.startTemporal();
      },
      clean,
    );
    rows.push(row);
    expectWhole(row);
  });

  it('PostgreSQL is stopped for about 10 s and started again', async () => {
    const { row } = await runScenario(
      stack,
      [root],
      experiments,
      'PostgreSQL down 10 s',
      async (ctx) => {
        await ctx.stack.stopPostgres();
        await sleep(10_000);
        await ctx.stack.startPostgres();
      },
      clean,
    );
    rows.push(row);
    expectWhole(row);
  });

  it('PostgreSQL terminates the busy backends of the job database mid-job, five times', async () => {
    let cut = 0;
    const { row } = await runScenario(
      stack,
      [root],
      experiments,
      'pg_terminate_backend ×5 mid-job',
      async (ctx) => {
        for (let round = 0; round < 5; round++) {
          // Poll until a job holds a connection (bounded: 20 s), then cut it.
          for (let i = 0, n = 0; i < 200 && n === 0; i++) {
            n = await ctx.stack.terminateBackends(ctx.databaseUrl);
            cut += n;
            if (n === 0) await sleep(100);
          }
          // The scenario's own connection may have been among those cut: ask again once.
          const done = await ctx.succeeded().catch(() => ctx.succeeded());
          await ctx.waitForSucceeded(done + 1);
        }
      },
      clean,
    );
    rows.push(row);
    assert.ok(cut >= 5, `expected at least one busy backend cut per round, cut ${cut}`);
    assert.ok(row.retried > 0, 'a job whose connection was cut failed its attempt and was retried');
    expectWhole(row);
  });

  it('the worker is killed with SIGKILL while an external Python module (dynamics) runs', async () => {
    // A clean run with dynamics first: the baseline its table is compared with.
    const modules = [...createRegistry().names, 'dynamics'];
    const baseline = await runScenario(
      stack,
      [root],
      experiments,
      'none, with dynamics',
      undefined,
      undefined,
      undefined,
      { modules },
    );
    rows.push(baseline.row);
    let killedDuring = '';
    const { row } = await runScenario(
      stack,
      [root],
      experiments,
      'worker SIGKILL mid-dynamics',
      async (ctx) => {
        // Bounded: up to 120 s for a dynamics job to be running, then the kill.
        for (let i = 0; i < 1200 && !killedDuring; i++) {
          const [job] = await query<{ job_id: string }>(
            ctx.orm.em.fork(),
            sql`SELECT job_id FROM pipeline_job WHERE module = 'dynamics' AND status = 'running' LIMIT 1`,
          );
          if (job) killedDuring = job.job_id;
          else await sleep(100);
        }
        await ctx.worker().stop('SIGKILL');
        ctx.restartWorker();
      },
      baseline.digest,
      undefined,
      { modules },
    );
    rows.push(row);
    assert.ok(killedDuring, 'a dynamics job was running when the worker was killed');
    expectWhole(row);
    assert.ok(row.retried > 0, 'the killed dynamics job ran again');
  });

  it('two `mpctl update` started at once and a third while they run process each experiment once', async () => {
    let updateIds: string[] = [];
    const { row } = await runScenario(
      stack,
      [root],
      experiments,
      'concurrent updates (2 at once + 1 during)',
      undefined,
      clean,
      async (ctx) => {
        const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-faults-cli-'));
        const env = { ...stack.cliEnv(ctx.databaseUrl, ctx.taskQueue, [root]), MPCTL_HOME: path.join(cwd, '.mpctl') };
        // The scenario's own update starts together with the first CLI update; the second comes mid-way.
        // The built-in modules, as the scenario's own update and the clean run (the CLI would add shipped dynamics).
        const update = () => mpctl(cwd, ['update', ...createRegistry().names, '--wait', '--json'], env, 600_000);
        const second = update();
        await ctx.waitForSucceeded(4);
        const third = update();
        const results = await Promise.all([second, third]);
        for (const r of results) assert.equal(r.code, 0, r.stderr);
        const progress = results.map((r) => r.json<UpdateProgress>());
        updateIds = [`${ctx.taskQueue}-main`, ...progress.map((p) => p.updateId)];
        return progress;
      },
    );
    rows.push(row);
    expectWhole(row);
    const updates = updateIds.map((id) => `'${id}'`).join(', ');
    for (const id of experiments) {
      let runs = 0;
      for await (const _ of stack.client.workflow.list({
        query: `WorkflowId = '${experimentWorkflowId(id)}' AND MpctlUpdateId IN (${updates})`,
      }))
        runs++;
      assert.equal(runs, 1, `${id} was processed by exactly one workflow run`);
    }
  });
});
