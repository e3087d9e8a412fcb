// `npm run test:cluster`: the production Temporal server as the chart and the compose file
// deploy it (PostgreSQL persistence, SQL visibility), frontend, history, matching and worker
// services each in its own process, with two `mpctl worker` processes on it. Not in the
// default listing of scripts/test.js: the first run builds the server (minutes), and a run
// takes several more.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRegistry } from '../../src/modules/index.js';
import { query, sql } from '../../src/db/sql.js';
import { experimentWorkflowId } from '../../src/workflow-safe/job-ids.js';
import { searchAttributeKeys } from '../../src/workflow-safe/search-attributes.js';
import { sleep } from '../../src/util/wait.js';
import { mpctl } from '../helpers/cli.js';
import { sampleRootWithNwb } from '../helpers/sample.js';
import { temporalServerInstall, type TemporalService } from '../helpers/temporal-cluster.js';
import type { TableDigest } from '../faults/digest.js';
import { FAULT_NAMESPACE, FaultStack, type WorkerProcess } from '../faults/fault-stack.js';
import { faultTable, runScenario, type FaultRow } from '../faults/scenario.js';

const install = temporalServerInstall({ build: true });
if (install.unavailable)
  console.log(`# skipped: the production Temporal server is unavailable: ${install.unavailable}`);

describe(
  'production Temporal server (one process per service) on PostgreSQL with SQL visibility',
  { skip: install.unavailable && `the production Temporal server is unavailable: ${install.unavailable}` },
  () => {
    let root: string;
    let experiments: string[];
    let stack: FaultStack;
    let clean: Record<string, TableDigest>;
    const rows: FaultRow[] = [];
    const modules = createRegistry().names;
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-cluster-cli-'));
    const cli = (databaseUrl: string, taskQueue: string, args: string[], timeoutMs = 300_000) =>
      mpctl(
        cwd,
        args,
        { ...stack.cliEnv(databaseUrl, taskQueue, [root]), MPCTL_HOME: path.join(cwd, '.mpctl') },
        timeoutMs,
      );
    const expectWhole = (row: FaultRow) => {
      assert.equal(row.completed, experiments.length, `${row.fault}: every experiment completed`);
      assert.equal(row.lost, 0, `${row.fault}: nothing lost`);
      assert.equal(row.duplicated, 0, `${row.fault}: nothing duplicated`);
      assert.deepEqual(row.changedTables, [], `${row.fault}: every table equals the clean run`);
    };
    /** Two workers on a fresh database and task queue, for the CLI-driven tests. */
    const cliStack = async (name: string) => {
      const { url, orm } = await stack.newDatabase();
      const taskQueue = `cluster-${name}`;
      const workers = [0, 1].map((i) => stack.startWorker(url, taskQueue, [root], `${name}-${i}`));
      await Promise.all(workers.map((w) => w.ready()));
      return { url, orm, taskQueue, workers };
    };
    const stopAll = async (workers: WorkerProcess[]) => {
      for (const w of workers) await w.stop().catch(() => undefined);
    };

    before(async () => {
      ({ root, experiments } = await sampleRootWithNwb({
        slices: 2,
        sitesPerSlice: 3,
        cells: 3,
        sweepsPerCell: 3,
        seed: 67,
      }));
      stack = await FaultStack.start({ cluster: { install: install.dir!, layout: 'split' }, setupNamespace: false });
    });
    after(async () => {
      if (rows.length) {
        const table = faultTable(rows);
        console.log(`\n${table}\n`);
        fs.mkdirSync(path.resolve('test-results'), { recursive: true });
        fs.writeFileSync(path.resolve('test-results/cluster-faults.md'), table + '\n');
      }
      await stack?.stop();
    });

    it('runs frontend, history, matching and worker as four processes, on loopback only', () => {
      const pids = (['frontend', 'history', 'matching', 'worker'] as TemporalService[]).map((s) =>
        stack.cluster!.pid(s),
      );
      assert.equal(new Set(pids).size, 4, `four distinct processes: ${pids.join(', ')}`);
      // Every socket the server listens on is bound to 127.0.0.1 (tcp and tcp6 tables).
      const inodes = new Set(
        pids.flatMap((pid) =>
          fs
            .readdirSync(`/proc/${pid}/fd`)
            .map((fd) => {
              try {
                return /socket:\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
              } catch {
                return undefined;
              }
            })
            .filter((x): x is string => !!x),
        ),
      );
      const listening = ['tcp', 'tcp6'].flatMap((t) =>
        fs
          .readFileSync(`/proc/net/${t}`, 'utf8')
          .split('\n')
          .slice(1)
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f[3] === '0A' && inodes.has(f[9]!))
          .map((f) => f[1]!.split(':')[0]!),
      );
      assert.ok(listening.length >= 8, `grpc and membership ports of four services: ${listening.length} found`);
      assert.deepEqual([...new Set(listening)], ['0100007F'], 'every listening socket is on 127.0.0.1');
    });

    it('`mpctl temporal setup` registers the search attributes on SQL visibility, and again is a no-op', async () => {
      const first = await cli(stack.postgresAdminUrl, 'setup', [
        'temporal',
        'setup',
        '--retention-days',
        '7',
        '--json',
      ]);
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(first.json().added.sort(), searchAttributeKeys.map((k) => k.name).sort());
      const again = await cli(stack.postgresAdminUrl, 'setup', ['temporal', 'setup', '--json']);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(again.json().added, []);
      const listed = await stack.connection.operatorService.listSearchAttributes({ namespace: FAULT_NAMESPACE });
      for (const key of searchAttributeKeys) assert.ok(key.name in (listed.customAttributes ?? {}), key.name);
      const ns = await stack.connection.workflowService.describeNamespace({ namespace: FAULT_NAMESPACE });
      assert.equal(Number(ns.config?.workflowExecutionRetentionTtl?.seconds), 30 * 86_400);
    });

    it('a clean update with two `mpctl worker` processes', async () => {
      const result = await runScenario(
        stack,
        [root],
        experiments,
        'none (clean run, 2 workers)',
        undefined,
        undefined,
        undefined,
        { workerCount: 2 },
      );
      clean = result.digest;
      rows.push(result.row);
      assert.equal(result.row.completed, experiments.length);
    });

    it('matching and then history are killed (SIGKILL) mid-update and restarted: it completes, nothing lost or doubled', async () => {
      assert.ok(clean, 'the clean run ran first');
      const { row } = await runScenario(
        stack,
        [root],
        experiments,
        'matching SIGKILL, then history SIGKILL',
        async (ctx) => {
          for (const service of ['matching', 'history'] as const) {
            const done = await ctx.succeeded();
            await stack.cluster!.kill(service);
            await sleep(2000);
            await stack.cluster!.restart(service);
            await ctx.waitForSucceeded(done + 1);
          }
        },
        clean,
        undefined,
        { workerCount: 2 },
      );
      rows.push(row);
      expectWhole(row);
    });

    it('one of the two workers is killed (SIGKILL) mid-update', async () => {
      const { row } = await runScenario(
        stack,
        [root],
        experiments,
        'worker SIGKILL (of 2)',
        async (ctx) => {
          await ctx.worker().stop('SIGKILL');
          ctx.restartWorker();
        },
        clean,
        undefined,
        { workerCount: 2 },
      );
      rows.push(row);
      expectWhole(row);
    });

    it('every service is killed (SIGKILL) at once and restarted: the server-kill scenario', async () => {
      const { row } = await runScenario(
        stack,
        [root],
        experiments,
        'all four services SIGKILL + restart',
        async () => {
          const services = ['frontend', 'history', 'matching', 'worker'] as const;
          for (const s of services) await stack.cluster!.kill(s);
          await sleep(1000);
          await stack.cluster!.restart(...services);
        },
        clean,
        undefined,
        { workerCount: 2 },
      );
      rows.push(row);
      expectWhole(row);
    });

    it('`mpctl cancel --update` stops a running update: its workflow is cancelled and no job is left running', async () => {
      const s = await cliStack('cancel');
      try {
        const started = await cli(s.url, s.taskQueue, ['update', ...modules, '--parallel', '1', '--json']);
        assert.equal(started.code, 0, started.stderr);
        const { updateId, workflowId } = started.json<{ updateId: string; workflowId: string }>();
        // Bounded: cancel once the first job has finished, while the rest are still to come.
        for (let i = 0; i < 600; i++) {
          const [{ n }] = await query<{ n: string }>(
            s.orm.em.fork(),
            sql`SELECT count(*) AS n FROM pipeline_job WHERE status = 'succeeded'`,
          );
          if (Number(n) > 0) break;
          await sleep(100);
        }
        const cancelled = await cli(s.url, s.taskQueue, ['cancel', '--update', updateId, '--json']);
        assert.equal(cancelled.code, 0, cancelled.stderr);
        assert.deepEqual(cancelled.json().stillRunning, []);
        const description = await stack.client.workflow.getHandle(workflowId).describe();
        assert.equal(description.status.name, 'CANCELLED');
        const running = await query<{ n: string }>(
          s.orm.em.fork(),
          sql`SELECT count(*) AS n FROM pipeline_job WHERE status = 'running'`,
        );
        assert.equal(Number(running[0].n), 0, 'no job left running');
        // The cancel came mid-update: fewer jobs succeeded than the update had (slices + experiments × modules).
        const registry = createRegistry();
        const slices = new Set(experiments.map((e) => e.split('/')[0])).size;
        const total = registry.ordered.reduce((n, m) => n + (m.scope === 'slice' ? slices : experiments.length), 0);
        const done = await query<{ n: string }>(
          s.orm.em.fork(),
          sql`SELECT count(*) AS n FROM pipeline_job WHERE status = 'succeeded'`,
        );
        assert.ok(Number(done[0].n) < total, `cancelled before the end: ${done[0].n} of ${total} jobs done`);
        const open = [];
        for await (const wf of stack.client.workflow.list({
          query: `ExecutionStatus = 'Running' AND MpctlUpdateId = '${updateId}'`,
        }))
          open.push(wf.workflowId);
        assert.deepEqual(open, [], 'no experiment workflow of the update is still running');
      } finally {
        await stopAll(s.workers);
        await s.orm.close();
      }
    });

    it('`mpctl reset --failed` re-runs a failed experiment from its failed step once the file is fixed', async () => {
      const s = await cliStack('reset');
      const target = experiments[0]!;
      const nwb = fs
        .readdirSync(path.join(root, target))
        .filter((f) => f.endsWith('.nwb'))
        .map((f) => path.join(root, target, f))[0]!;
      const saved = path.join(cwd, 'saved.nwb');
      fs.copyFileSync(nwb, saved);
      try {
        fs.writeFileSync(nwb, 'not an NWB file');
        const failed = await cli(s.url, s.taskQueue, ['update', ...modules, '--wait', '--json']);
        assert.notEqual(failed.code, 0, 'the update reports the failed experiment in its exit code');
        const status = await stack.client.workflow.getHandle(experimentWorkflowId(target)).describe();
        assert.equal(status.status.name, 'FAILED', `${target} failed on the broken file\n${failed.stdout}`);
        fs.copyFileSync(saved, nwb);
        const reset = await cli(s.url, s.taskQueue, ['reset', '--failed', '--json']);
        assert.equal(reset.code, 0, reset.stderr);
        const [result] = reset.json<{ reset: { workflowId: string; newRunId: string }[] }>().reset;
        assert.equal(result?.workflowId, experimentWorkflowId(target));
        await stack.client.workflow.getHandle(result.workflowId, result.newRunId).result();
        const jobs = await query<{ module: string; status: string }>(
          s.orm.em.fork(),
          sql`SELECT module, status FROM pipeline_job WHERE job_id = ${target}`,
        );
        assert.ok(jobs.length > 0);
        assert.deepEqual(
          jobs.filter((j) => j.status !== 'succeeded'),
          [],
          `every job of ${target} succeeded after the reset`,
        );
      } finally {
        if (fs.existsSync(saved)) fs.copyFileSync(saved, nwb);
        await stopAll(s.workers);
        await s.orm.close();
      }
    });
  },
);
