import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { experimentModule } from '../../src/modules/experiment/index.js';
import { metadataModules as pipelineModules } from '../../src/modules/index.js';
import { planUpdate } from '../../src/planning/planner.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRoot, touch } from '../helpers/sample.js';

describe('walking pipeline on a real Temporal server and PostgreSQL', () => {
  const { root, experiments } = sampleRoot(2, 2, 4);
  let pipeline: TestPipeline;
  const plan = (modules = pipeline.registry.names, extra = {}) =>
    planUpdate({ orm: pipeline.db.orm, registry: pipeline.registry, dataRoots: [root] }, { modules, ...extra });
  const records = () =>
    query<{
      module: string;
      job_id: string;
      status: string;
      error_message: string | null;
      error_type: string | null;
      source_file: string | null;
      attempts: number;
    }>(
      pipeline.db.orm.em.fork(),
      sql`SELECT module, job_id, status, error_message, error_type, source_file, attempts FROM pipeline_job ORDER BY module, job_id`,
    );
  const count = async (table: string) =>
    Number(
      (await query<{ n: string }>(pipeline.db.orm.em.fork(), sql`SELECT count(*) AS n FROM ${sql.id(table)}`))[0].n,
    );

  before(async () => {
    pipeline = await startTestPipeline([root], pipelineModules);
  });
  after(async () => {
    await pipeline?.close();
  });

  it('a first update brings every slice and experiment in, with one pair per ordered cell pair', async () => {
    const progress = await pipeline.update();
    assert.equal(progress.phase, 'done');
    assert.deepEqual(progress.modules.slice, { planned: 2, succeeded: 2, failed: 0, skipped: 0 });
    assert.deepEqual(progress.modules.experiment, { planned: 4, succeeded: 4, failed: 0, skipped: 0 });
    const rows = await records();
    assert.equal(rows.length, 6);
    assert.ok(rows.every((r) => r.status === 'succeeded'));
    assert.equal(await count('experiment'), 4);
    assert.equal(await count('cell'), 16);
    assert.equal(await count('pair'), 4 * 4 * 3);
  });

  it('a second plan finds nothing to do', async () => {
    assert.deepEqual((await plan()).jobs, []);
  });

  it('an edited pipettes.yml makes only that experiment raw-changed', async () => {
    touch(path.join(root, experiments[1], 'pipettes.yml'));
    assert.deepEqual((await plan()).jobs, [{ module: 'experiment', jobId: experiments[1], reason: 'raw-changed' }]);
    await pipeline.update();
    assert.deepEqual((await plan()).jobs, []);
    assert.equal(await count('pair'), 48, 're-running replaced the rows instead of adding to them');
  });

  it('an edited slice.yml re-runs that slice and every experiment in it', async () => {
    const slice = experiments[0].split('/')[0];
    touch(path.join(root, slice, 'slice.yml'));
    const jobs = (await plan()).jobs;
    assert.deepEqual(jobs, [
      { module: 'slice', jobId: slice, reason: 'raw-changed' },
      ...experiments
        .filter((e) => e.startsWith(slice + '/'))
        .map((jobId) => ({ module: 'experiment', jobId, reason: 'upstream-changed:slice' })),
    ]);
    const progress = await pipeline.update();
    assert.equal(progress.modules.experiment.succeeded, 2);
    assert.deepEqual((await plan()).jobs, []);
  });

  it('a new module version marks that module code-changed, nothing upstream', async () => {
    await pipeline.useModules(
      pipelineModules.map((m) =>
        m.name === 'experiment' ? { ...experimentModule, version: `${experimentModule.version}.next` } : m,
      ),
    );
    const jobs = (await plan()).jobs;
    assert.deepEqual(
      jobs.map((j) => [j.module, j.reason]),
      experiments.map(() => ['experiment', 'code-changed']),
    );
    await pipeline.update();
    assert.deepEqual((await plan()).jobs, []);
  });

  it('a malformed pipettes.yml fails its own job at once, naming the file; other experiments carry on', async () => {
    const bad = path.join(root, experiments[2], 'pipettes.yml');
    fs.writeFileSync(bad, '1:\n  ad_channel: 0\n2:\n  ad_channel: 0\n');
    touch(path.join(root, experiments[3], 'site.yml'));
    const progress = await pipeline.update();
    assert.equal(progress.experiments.failed, 1);
    assert.equal(progress.modules.experiment.succeeded, 1);
    const failed = (await records()).find((r) => r.job_id === experiments[2])!;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error_type, 'BadInput');
    assert.equal(failed.source_file, bad);
    assert.match(failed.error_message!, /pipettes\.yml: ad_channel 0 is used by pipettes 1 and 2/);
    assert.equal(failed.attempts, 1, 'bad input is not retried');
    const leftovers = await query<{ n: string }>(
      pipeline.db.orm.em.fork(),
      sql`SELECT count(*) AS n FROM cell WHERE experiment_id = ${experiments[2]}`,
    );
    assert.equal(Number(leftovers[0].n), 0, 'a failed job keeps no rows');
    assert.deepEqual((await plan()).notReady.experiment, { 'up-to-date': 3, failed: 1 });
    assert.deepEqual((await plan(undefined, { retry: true })).jobs, [
      { module: 'experiment', jobId: experiments[2], reason: 'retry-failed' },
    ]);
  });

  it('an ignore.txt fails the job with its text; removing the site drops its results as an orphan', async () => {
    fs.writeFileSync(path.join(root, experiments[2], 'ignore.txt'), 'electrode drift, do not analyse\n');
    await pipeline.update({ retry: true });
    const ignored = (await records()).find((r) => r.job_id === experiments[2])!;
    assert.equal(ignored.error_type, 'Ignored');
    assert.match(ignored.error_message!, /ignore\.txt: ignored: electrode drift, do not analyse/);
    fs.rmSync(path.join(root, experiments[3]), { recursive: true });
    assert.deepEqual((await plan()).orphans, [{ module: 'experiment', jobIds: [experiments[3]] }]);
    await pipeline.update();
    assert.equal(await count('experiment'), 2);
    assert.deepEqual(
      (await records()).filter((r) => r.module === 'experiment').map((r) => [r.job_id, r.status]),
      [
        [experiments[0], 'succeeded'],
        [experiments[1], 'succeeded'],
        [experiments[2], 'failed'],
      ],
    );
  });
});
