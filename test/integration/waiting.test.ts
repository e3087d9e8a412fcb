import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { SettlingError } from '../../src/errors/index.js';
import { runJob } from '../../src/jobs/run-job.js';
import { metadataModules } from '../../src/modules/index.js';
import { planUpdate } from '../../src/planning/planner.js';
import { backdate } from '../../src/sample-data/backdate.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRoot } from '../helpers/sample.js';

// The worker in this process plans with the environment's settle time; the harness sets 0.
process.env.MPCTL_SETTLE_SECONDS = '30';

describe('sites that are not submitted or still changing wait, on the real stack', () => {
  const { root, experiments } = sampleRoot(1, 3, 3, 51);
  const [unsubmitted, copying, done] = experiments as [string, string, string];
  let p: TestPipeline;
  const records = async () =>
    query<{ module: string; job_id: string; status: string }>(
      p.db.orm.em.fork(),
      sql`SELECT module, job_id, status FROM pipeline_job ORDER BY module, job_id`,
    );
  before(async () => {
    backdate(root, 3_600_000);
    fs.rmSync(path.join(root, unsubmitted, 'pipettes.yml'));
    fs.appendFileSync(path.join(root, copying, 'site.yml'), '\n');
    p = await startTestPipeline([root], metadataModules);
  });
  after(async () => p?.close());

  it('an update plans only the finished site; the others wait, with their reason, and nothing fails', async () => {
    const plan = await planUpdate(
      { orm: p.db.orm, registry: p.registry, dataRoots: [root] },
      { modules: p.registry.names },
    );
    assert.deepEqual(
      plan.waiting.map((w) => [w.jobId, w.reason]),
      [
        [unsubmitted, 'incomplete'],
        [copying, 'settling'],
      ],
    );
    assert.match(plan.waiting[1]!.detail, /^site\.yml changed \d+ s ago \(settle time 30 s\)$/);
    const progress = await p.update();
    assert.equal(progress.failures.length, 0, JSON.stringify(progress.failures));
    const rows = await records();
    assert.deepEqual(
      rows.map((r) => [r.module, r.job_id, r.status]),
      [
        ['experiment', done, 'succeeded'],
        ['slice', done.split('/')[0], 'succeeded'],
      ],
    );
  });

  it('a processed site that starts changing again keeps its results (not an orphan) until it settles', async () => {
    fs.appendFileSync(path.join(root, done, 'site.yml'), '\n');
    const progress = await p.update();
    assert.equal(progress.orphanJobs, 0);
    assert.deepEqual(
      (await records()).filter((r) => r.job_id === done).map((r) => r.status),
      ['succeeded'],
    );
    // Once settled (here: the files dated back), the changed site runs again, the others too.
    backdate(root, 3_600_000);
    fs.writeFileSync(
      path.join(root, unsubmitted, 'pipettes.yml'),
      fs.readFileSync(path.join(root, done, 'pipettes.yml')),
    );
    backdate(root, 3_600_000);
    const next = await p.update();
    assert.equal(next.failures.length, 0, JSON.stringify(next.failures));
    assert.equal(next.modules.experiment?.succeeded, 3);
  });

  it('a file that fails to read while it is still changing is settling (retried), not bad input', async () => {
    const site = path.join(root, done);
    fs.writeFileSync(path.join(site, 'pipettes.yml'), 'electrodes: [unfinished');
    const run = runJob(
      { orm: p.db.orm, registry: p.registry, dataRoots: [root], settle: { seconds: 30 } },
      { module: 'experiment', jobId: done, reason: 'raw-changed', attempt: 1, workerIdentity: 'test' },
      { heartbeat: () => undefined, signal: new AbortController().signal, isCancellation: () => false },
    );
    await assert.rejects(
      run,
      (error) => error instanceof SettlingError && /pipettes\.yml: still changing/.test(error.message),
    );
    const record = (await records()).find((r) => r.module === 'experiment' && r.job_id === done);
    assert.notEqual(record?.status, 'failed');
    // The same file, unchanged past the settle time, is bad input as before.
    const settled = runJob(
      { orm: p.db.orm, registry: p.registry, dataRoots: [root], settle: { seconds: 0 } },
      { module: 'experiment', jobId: done, reason: 'raw-changed', attempt: 1, workerIdentity: 'test' },
      { heartbeat: () => undefined, signal: new AbortController().signal, isCancellation: () => false },
    );
    await assert.rejects(settled, /YAML syntax error/);
  });
});
