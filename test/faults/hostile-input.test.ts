import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import type { Orm } from '../../src/db/orm.js';
import { createRegistry } from '../../src/modules/index.js';
import { writeIcephysNwb } from '../../src/nwb/writer/index.js';
import { writeSampleMetadata, type SampleSite } from '../../src/sample-data/metadata.js';
import type { UpdateProgress } from '../../src/workflow-safe/workflow-types.js';
import { smallInput, tempDir } from '../nwb/fixtures.js';
import { FaultStack, type WorkerProcess } from './fault-stack.js';
import { HOSTILE_CASES, ODD_SITE_NAME, ODD_SLICE_NAME, type HostileCase } from './hostile-corpus.js';
import { startPipelineUpdate } from './scenario.js';

/** A worker reading this corpus must stay well under this (it runs two jobs at once). */
const MAX_WORKER_RSS_MIB = 768;
const LONG_AGO = new Date('2000-01-01T00:00:00Z');

type JobRow = {
  module: string;
  job_id: string;
  status: string;
  error_type: string | null;
  error_message: string | null;
  source_file: string | null;
  attempts: number;
};

/**
 * The hostile-input corpus through one real update on a real `mpctl worker` process: every bad
 * file fails its own job once, typed BadInput and naming the file, with nothing partial written;
 * good experiments (odd folder names included) complete; the worker stays up with bounded memory;
 * files outside the data root are never read.
 */
describe('hostile input: each bad file fails only its own job', () => {
  const registry = createRegistry();
  const root = tempDir('hostile');
  const outside = tempDir('outside-root');
  const caseOf = new Map<string, HostileCase>();
  const good: string[] = [];
  let linkedSite = '';
  let stack: FaultStack;
  let orm: Orm;
  let worker: WorkerProcess;
  let progress: UpdateProgress;
  let jobs: JobRow[];

  before(async () => {
    const sites = writeSampleMetadata({
      out: root,
      slices: Math.ceil(HOSTILE_CASES.length / 2) + 1,
      sitesPerSlice: 2,
      cells: 3,
      seed: 5,
    });
    for (const [i, site] of sites.entries()) {
      const c = HOSTILE_CASES[i];
      const nwb = path.join(site.dir, site.nwbFile);
      if (c) {
        caseOf.set(site.experimentId, c);
        await c.write({ site, nwb, outside: fs.mkdtempSync(path.join(outside, 'case-')) });
      } else {
        await writeIcephysNwb(smallInput(20 + i), nwb, { seed: 20 + i, compressionLevel: 1 });
      }
    }
    good.push(...renameToOddNames(sites.slice(HOSTILE_CASES.length)));
    linkedSite = linkSiteFromOutside(sites[0]!, outside);
    markUnread(outside);

    stack = await FaultStack.start();
    const db = await stack.newDatabase();
    orm = db.orm;
    const taskQueue = `hostile-${crypto.randomBytes(3).toString('hex')}`;
    worker = stack.startWorker(db.url, taskQueue, [root], 'hostile');
    progress = await (await startPipelineUpdate(stack, taskQueue, `${taskQueue}-update`)).result();
    jobs = await query<JobRow>(
      orm.em.fork(),
      sql`SELECT module, job_id, status, error_type, error_message, source_file, attempts FROM pipeline_job`,
    );
  });
  after(async () => {
    await worker?.stop();
    await orm?.close();
    await stack?.stop();
  });

  const job = (module: string, id: string) => jobs.find((j) => j.module === module && j.job_id === id);
  const rowsFor = async (table: string, id: string) => {
    const column = table === 'experiment' ? 'id' : 'experiment_id';
    return Number(
      (
        await query<{ n: string }>(
          orm.em.fork(),
          sql`SELECT count(*) AS n FROM ${sql.id(table)} WHERE ${sql.id(column)} = ${id}`,
        )
      )[0]!.n,
    );
  };

  it(`covers at least twelve kinds of bad input (${HOSTILE_CASES.length})`, () => {
    assert.ok(HOSTILE_CASES.length >= 12);
    assert.equal(progress.phase, 'done');
    assert.equal(progress.experiments.failed, HOSTILE_CASES.length, JSON.stringify(progress).slice(0, 2000));
  });

  for (const c of HOSTILE_CASES) {
    it(`${c.kind}: fails ${c.module} at once, naming ${c.file}, leaving nothing partial`, async () => {
      const id = [...caseOf].find(([, v]) => v === c)![0];
      const dir = path.join(root, ...id.split('/'));
      const file = path.join(dir, c.file);
      const record = job(c.module, id);
      assert.equal(record?.status, 'failed', `${c.kind}: ${JSON.stringify(record)}`);
      assert.equal(record.error_type, 'BadInput');
      assert.equal(record.attempts, 1, 'not retried');
      assert.equal(record.source_file, file);
      assert.ok(record.error_message!.startsWith(`${file}: `), record.error_message!);
      assert.match(record.error_message!, c.message);
      for (const upstream of registry.upstreamOf(c.module))
        assert.equal(job(upstream, upstream === 'slice' ? id.split('/')[0]! : id)?.status, 'succeeded', upstream);
      for (const module of [c.module, ...registry.downstreamOf(c.module)]) {
        if (module !== c.module)
          assert.notEqual(job(module, id)?.status, 'succeeded', `${module} must not run after ${c.module} failed`);
        for (const table of registry.get(module).tables)
          assert.equal(await rowsFor(table, id), 0, `${table} rows of ${id}`);
      }
    });
  }

  it('the good experiments, odd folder names included, complete every module with their names intact', async () => {
    assert.ok(good.some((id) => id.includes("O'Brien") && id.includes(ODD_SITE_NAME)));
    for (const id of good) {
      for (const module of registry.ordered.filter((m) => m.scope === 'experiment'))
        assert.equal(
          job(module.name, id)?.status,
          'succeeded',
          `${module.name} ${id}: ${job(module.name, id)?.error_message}`,
        );
      assert.ok((await rowsFor('pulse_response', id)) > 0, id);
    }
    const slices = await query<{ id: string }>(orm.em.fork(), sql`SELECT id FROM slice WHERE id = ${ODD_SLICE_NAME}`);
    assert.equal(slices.length, 1, 'the odd slice name is stored verbatim');
  });

  it('a site folder linked from outside the data root is skipped with a warning, never run', () => {
    assert.ok(
      progress.warnings.some((w) => w.includes(linkedSite) && w.includes('links outside its data root')),
      progress.warnings.join('\n'),
    );
    assert.ok(!jobs.some((j) => j.job_id.endsWith(path.basename(linkedSite))));
  });

  it('no file outside the data root was read (access times unchanged)', (t) => {
    if (!accessTimesWork(outside)) {
      t.diagnostic(
        'this filesystem does not update access times on read; containment is shown by the refusals above only',
      );
      return;
    }
    for (const file of filesUnder(outside))
      assert.equal(fs.statSync(file).atime.getTime(), LONG_AGO.getTime(), `${file} was read`);
  });

  it(`the worker stayed up, one process throughout, under ${MAX_WORKER_RSS_MIB} MiB`, (t) => {
    assert.equal(worker.child.exitCode, null, 'worker exited');
    assert.equal(worker.child.signalCode, null, 'worker was killed');
    t.diagnostic(`worker peak RSS ${worker.peakRssMiB().toFixed(0)} MiB`);
    assert.ok(
      worker.peakRssMiB() > 0 && worker.peakRssMiB() < MAX_WORKER_RSS_MIB,
      `peak RSS ${worker.peakRssMiB().toFixed(0)} MiB`,
    );
  });

  it('no error message, stack or worker log line carries the database password', async () => {
    assert.ok(!fs.readFileSync(worker.logFile, 'utf8').includes(stack.password), 'worker log');
    const leaks = await query<{ n: string }>(
      orm.em.fork(),
      sql`SELECT count(*) AS n FROM pipeline_job
      WHERE strpos(coalesce(error_message, '') || coalesce(error_stack, ''), ${stack.password}) > 0`,
    );
    assert.equal(Number(leaks[0]!.n), 0);
  });
});

/** Moves the last slice to a name full of quotes, `;` and non-ASCII, and one site to such a name. */
function renameToOddNames(goodSites: SampleSite[]): string[] {
  const sliceDir = path.dirname(goodSites.at(-1)!.dir);
  const oddSlice = path.join(path.dirname(sliceDir), ODD_SLICE_NAME);
  fs.renameSync(sliceDir, oddSlice);
  fs.renameSync(path.join(oddSlice, 'site_2'), path.join(oddSlice, ODD_SITE_NAME));
  return goodSites
    .map((s) => s.experimentId)
    .filter((id) => !id.startsWith(path.basename(sliceDir) + '/'))
    .concat([`${ODD_SLICE_NAME}/site_1`, `${ODD_SLICE_NAME}/${ODD_SITE_NAME}`]);
}

/** A complete, valid site folder outside the root, linked into a slice as site_linked. */
function linkSiteFromOutside(template: SampleSite, outside: string): string {
  const target = fs.mkdtempSync(path.join(outside, 'site-'));
  for (const name of ['site.yml', 'pipettes.yml'])
    fs.copyFileSync(path.join(template.dir, name), path.join(target, name));
  const link = path.join(path.dirname(template.dir), 'site_linked');
  fs.symlinkSync(target, link);
  return link;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Access times older than the modification time: on a relatime mount any read moves them. */
function markUnread(dir: string): void {
  for (const file of filesUnder(dir)) fs.utimesSync(file, LONG_AGO, fs.statSync(file).mtime);
}

function accessTimesWork(dir: string): boolean {
  const probe = path.join(dir, '.atime-probe');
  fs.writeFileSync(probe, 'x');
  fs.utimesSync(probe, LONG_AGO, new Date());
  fs.readFileSync(probe);
  const moved = fs.statSync(probe).atime.getTime() !== LONG_AGO.getTime();
  fs.rmSync(probe);
  return moved;
}
