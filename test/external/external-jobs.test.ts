import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index.js';
import { jobLogs } from '../../src/bookkeeping/job-logs.js';
import { query, sql } from '../../src/db/sql.js';
import { externalModule, type ExternalSettings } from '../../src/external/external-module.js';
import { readOnlyUrl } from '../../src/external/load-registry.js';
import { syncExternalTables } from '../../src/external/sync-tables.js';
import { metadataModules } from '../../src/modules/index.js';
import { resolveConfig } from '../../src/config/config.js';
import { planUpdate } from '../../src/planning/planner.js';
import { dropModule } from '../../src/jobs/drop-module.js';
import { ModuleRegistry } from '../../src/modules/registry.js';
import { queuesWithoutWorkers } from '../../src/temporal/queue-workers.js';
import { showExperiment } from '../../src/views/jobs.js';
import { moduleStatus } from '../../src/views/status.js';
import { fixtureModule } from '../helpers/external-fixtures.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRoot } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';

const data = sampleRoot(1, 2, 3);
const settings: ExternalSettings = {
  moduleDatabaseUrl: '',
  resultsRoot: fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-results-')),
};
const good = fixtureModule();
const badRow = fixtureModule({
  name: 'bad_row',
  script: `echo '{"table": "site_files", "row": {"n_files": 1}}'\necho '{"table": "site_files", "row": {"n_files": "three"}}'\n`,
});
const badInput = fixtureModule({
  name: 'bad_input',
  script: `echo "reading $MPCTL_EXPERIMENT_DIR" >&2\necho "$MPCTL_EXPERIMENT_DIR/site.yml: no cells listed" >&2\nexit 65\n`,
});
const marker = `mpctl-sleeper-${process.pid}`;
const slow = fixtureModule({
  name: 'slow',
  script: `# a child that ignores SIGTERM: only the group SIGKILL after the grace time ends it\nbash -c "trap '' TERM; exec -a ${marker} sleep 300" &\nwait\n`,
});
const writer = fixtureModule({
  name: 'writer',
  script: `node -e "
const pg = require(process.argv[1]);
const job = JSON.parse(require('fs').readFileSync(process.env.MPCTL_JOB_FILE, 'utf8'));
const c = new pg.Client({ connectionString: job.databaseUrl });
c.connect().then(() => c.query('DELETE FROM experiment')).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(65); });
" ${JSON.stringify(path.resolve(import.meta.dirname, '../../../node_modules/pg'))}\n`,
});
const queue = `mpctl-test-pool-${process.pid}`;
const queued = fixtureModule({ name: 'queued', yml: (y) => `${y}taskQueue: ${queue}\n` });
const all = [good, badRow, badInput, slow, writer, queued];
let p: TestPipeline;

before(async () => {
  const modules = [...metadataModules, ...all.map((m) => externalModule(m.manifest(), settings))];
  p = await startTestPipeline([data.root], modules);
  settings.moduleDatabaseUrl = readOnlyUrl({ databaseUrl: p.db.url });
  await syncExternalTables(
    p.db.url,
    all.map((m) => m.manifest()),
  );
});
after(async () => p?.close());

interface Job {
  job_id: string;
  status: string;
  attempts: number;
  error_type: string | null;
  error_message: string | null;
  provenance: {
    module: { version: string; folderHash: string };
    runtime: { exitCode: number; peakRssBytes: number };
    outputs: { rows: Record<string, number> };
    upstream: Record<string, { finishedAt: string }>;
    mpctl: { version: string };
  } | null;
}
const jobsOf = (module: string) =>
  query<Job>(
    p.db.orm.em.fork(),
    sql`SELECT job_id, status, attempts, error_type, error_message, provenance FROM pipeline_job WHERE module = ${module} ORDER BY job_id`,
  );

test('a bash module runs per experiment: its rows, its log and its provenance are kept', async () => {
  const plan = await planUpdate(
    { orm: p.db.orm, registry: p.registry, dataRoots: [data.root] },
    { modules: ['experiment', 'slice', 'site_files'] },
  );
  assert.deepEqual(
    plan.jobs.filter((j) => j.module === 'site_files').map((j) => j.reason),
    data.experiments.map(() => 'new'),
  );
  await p.update({ modules: ['slice', 'experiment', 'site_files'] });
  const rows = await query<{ experiment_id: string; n_files: number; note: string }>(
    p.db.orm.em.fork(),
    sql`SELECT experiment_id, n_files, note FROM site_files ORDER BY experiment_id`,
  );
  assert.deepEqual(
    rows.map((r) => r.experiment_id),
    data.experiments,
  );
  for (const row of rows) {
    const files = fs
      .readdirSync(path.join(data.root, row.experiment_id), { withFileTypes: true })
      .filter((e) => e.isFile());
    assert.equal(row.n_files, files.length);
    assert.equal(row.note, 'ok');
  }
  const [job] = await jobsOf('site_files');
  assert.equal(job!.status, 'succeeded');
  const prov = job!.provenance!;
  assert.equal(prov.module.version, '1');
  assert.match(prov.module.folderHash, /^[0-9a-f]{64}$/);
  assert.equal(prov.runtime.exitCode, 0);
  assert.ok(prov.runtime.peakRssBytes >= 0);
  assert.deepEqual(prov.outputs.rows, { site_files: 1 });
  assert.ok(prov.upstream.experiment!.finishedAt);
  assert.match(prov.mpctl.version, /^\d+\.\d+\.\d+/);
  const logs = await jobLogs(p.db.orm.em.fork(), 'site_files', data.experiments[0]!);
  assert.equal(logs.length, 1);
  assert.match(logs[0]!.text, /counting files in /);
  assert.equal(logs[0]!.outcome, 'succeeded');
});

test('a bad row fails the job non-retryably, names table, row and column, and writes nothing', async () => {
  await p.update({ modules: ['bad_row'] });
  const jobs = await jobsOf('bad_row');
  assert.equal(jobs.length, data.experiments.length);
  for (const job of jobs) {
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 1);
    assert.equal(job.error_type, 'BadOutput');
    assert.match(
      job.error_message!,
      /bad_row: table bad_row, row 2: column n_files \(integer\): expected an integer.*got "three"/,
    );
  }
  const [{ n }] = await query<{ n: number }>(p.db.orm.em.fork(), sql`SELECT count(*)::int AS n FROM bad_row`);
  assert.equal(n, 0, 'the first, good row is not written either');
});

test('exit 65 fails once, as BadInput, with the last stderr lines as the message', async () => {
  await p.update({ modules: ['bad_input'] });
  const jobs = await jobsOf('bad_input');
  assert.equal(jobs.length, data.experiments.length);
  for (const job of jobs) {
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 1);
    assert.equal(job.error_type, 'BadInput');
    assert.match(job.error_message!, /site\.yml: no cells listed/);
  }
});

test('the database URL a module gets is read-only', async () => {
  await p.update({ modules: ['writer'] });
  const jobs = await jobsOf('writer');
  assert.equal(jobs.length, data.experiments.length);
  for (const job of jobs) {
    assert.equal(job.status, 'failed');
    assert.match(job.error_message!, /read-only transaction/);
  }
  const [{ n }] = await query<{ n: number }>(p.db.orm.em.fork(), sql`SELECT count(*)::int AS n FROM experiment`);
  assert.equal(n, data.experiments.length);
});

test('cancelling a running module leaves no process behind', async () => {
  const handle = await p.client.workflow.start('pipelineUpdate', {
    taskQueue: p.taskQueue,
    workflowId: `cancel-${marker}`,
    args: [{ updateId: `cancel-${marker}`, modules: ['slow'], parallel: 4 }],
  });
  const deadline = Date.now() + 30_000;
  while (!running(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.ok(running(marker), 'the module started');
  await handle.cancel();
  await handle.result().catch(() => undefined);
  const gone = Date.now() + 20_000;
  while (running(marker) && Date.now() < gone) await new Promise((r) => setTimeout(r, 200));
  assert.equal(running(marker), false, 'no process of the module is left');
});

test('a version bump makes only that module and its downstream code-changed', async () => {
  const bumped = fixtureModule({ yml: (y) => y.replace('version: "1"', 'version: "2"') });
  const registry = p.registry;
  const modules = registry.ordered.map((m) =>
    m.name === 'site_files' ? externalModule(bumped.manifest(), settings) : m,
  );
  await p.useModules(modules);
  const plan = await planUpdate(
    { orm: p.db.orm, registry: p.registry, dataRoots: [data.root] },
    { modules: ['slice', 'experiment', 'site_files'] },
  );
  assert.deepEqual([...new Set(plan.jobs.map((j) => `${j.module} ${j.reason}`))], ['site_files code-changed']);
});

test("a module's task queue: its jobs wait while no worker serves the queue, then run on a worker that does", async () => {
  const updateId = `queued-${process.pid}`;
  const handle = await p.client.workflow.start('pipelineUpdate', {
    taskQueue: p.taskQueue,
    workflowId: `update/${updateId}`,
    args: [{ updateId, modules: ['slice', 'experiment', 'queued'], parallel: 4 }],
  });
  await new Promise((r) => setTimeout(r, 4_000));
  assert.deepEqual(await queuesWithoutWorkers(p.client, [queue, p.taskQueue]), [queue]);
  const waits = { byModule: { queued: queue } };
  const status = await moduleStatus(p.db.orm, p.registry, [data.root], waits);
  assert.equal(
    status.modules.find((m) => m.module === 'queued')?.waitingForWorker,
    `waiting for a worker on task queue "${queue}"`,
  );
  assert.equal(status.modules.find((m) => m.module === 'experiment')?.waitingForWorker, null);
  const shown = await showExperiment(
    p.db.orm,
    p.registry,
    resolveConfig({}, { MPCTL_DATA_ROOTS: data.root }, os.tmpdir()),
    data.experiments[0]!,
    waits,
  );
  assert.match(shown.modules.find((m) => m.module === 'queued')?.waitingForWorker ?? '', /waiting for a worker/);
  const waiting = await jobsOf('queued');
  assert.ok(
    waiting.every((j) => j.status !== 'succeeded' && j.status !== 'failed'),
    `nothing ran or failed without a worker on ${queue}: ${JSON.stringify(waiting.map((j) => j.status))}`,
  );
  const { temporalAddress } = await testServers();
  const connection = await NativeConnection.connect({ address: temporalAddress });
  const pool = await Worker.create({
    connection,
    namespace: TEST_NAMESPACE,
    taskQueue: queue,
    activities: createActivities({ orm: p.db.orm, registry: p.registry, dataRoots: [data.root] }),
  });
  try {
    await pool.runUntil(handle.result());
  } finally {
    await connection.close();
  }
  const jobs = await jobsOf('queued');
  assert.equal(jobs.length, data.experiments.length);
  for (const job of jobs) assert.equal(job.status, 'succeeded');
});

test('a removed module keeps its data: status lists it with its rows; drop deletes rows, records and tables', async () => {
  const jobs = (await jobsOf('site_files')).length;
  assert.ok(jobs > 0, 'site_files ran in the first test');
  const without = new ModuleRegistry(p.registry.ordered.filter((m) => m.name !== 'site_files'));
  const removed = (await moduleStatus(p.db.orm, without, [data.root])).removed.find((m) => m.module === 'site_files');
  assert.deepEqual(removed && { jobs: removed.jobs, rows: removed.rows }, { jobs, rows: { site_files: jobs } });
  const options = { resultsRoot: settings.resultsRoot };
  const preview = await dropModule(p.db.orm, without, { module: 'site_files', dryRun: true }, options);
  assert.deepEqual(preview.modules.site_files, { jobs, rows: { site_files: jobs } });
  assert.equal((await jobsOf('site_files')).length, jobs, 'a dry run deletes nothing');
  await dropModule(p.db.orm, without, { module: 'site_files' }, options);
  assert.equal((await jobsOf('site_files')).length, 0);
  const [table] = await query<{ t: string | null }>(p.db.orm.em.fork(), sql`SELECT to_regclass('site_files') AS t`);
  assert.equal(table!.t, null, 'its table is dropped with it');
  assert.deepEqual((await moduleStatus(p.db.orm, without, [data.root])).removed, []);
  await assert.rejects(dropModule(p.db.orm, without, { module: 'site_files' }, options), /unknown module "site_files"/);
});

function running(name: string): boolean {
  try {
    return execFileSync('pgrep', ['-f', name]).toString().trim().length > 0;
  } catch {
    return false;
  }
}
