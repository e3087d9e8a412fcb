import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { ANALYSIS_THREADS_ENV } from '../../src/modules/connection_strength/analysis-threads.js';
import { closeAnalysisThreads } from '../../src/modules/connection_strength/pair-analyses.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRootWithNwb } from '../helpers/sample.js';

// connection_strength's three tables, ids left out (they are serial), in a fixed order.
const TABLES = [
  ['connection_strength', 'pair_id'],
  ['average_response', 'pair_id, pulse_number'],
  ['connection_strength_vc', 'pair_id'],
] as const;

describe('connection_strength on worker threads, through a real update', () => {
  let p: TestPipeline;
  let experiment: string;
  const previous = process.env[ANALYSIS_THREADS_ENV];
  const rows = async () => {
    const out: Record<string, unknown[]> = {};
    for (const [table, order] of TABLES)
      out[table] = await query(
        p.db.orm.em.fork(),
        sql`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(order)}`,
      ).then((rs) => rs.map(({ id: _id, ...r }: Record<string, unknown>) => r));
    return out;
  };
  before(async () => {
    // Voltage-clamp sweeps too, so connection_strength_vc has rows.
    const sample = await sampleRootWithNwb({
      slices: 1,
      sitesPerSlice: 1,
      cells: 3,
      sweepsPerCell: 2,
      voltageClampSweepsPerCell: 1,
      seed: 5,
    });
    experiment = sample.experiments[0]!;
    p = await startTestPipeline([sample.root]);
  });
  after(async () => {
    if (previous === undefined) delete process.env[ANALYSIS_THREADS_ENV];
    else process.env[ANALYSIS_THREADS_ENV] = previous;
    await closeAnalysisThreads();
    await p?.close();
  });

  it('writes the same rows on three threads as on one', async () => {
    process.env[ANALYSIS_THREADS_ENV] = '1';
    const first = await p.update();
    assert.equal(first.experiments.succeeded, 1, JSON.stringify(first.failures));
    const one = await rows();
    assert.ok(
      one.connection_strength!.length === 6 &&
        one.average_response!.length > 0 &&
        one.connection_strength_vc!.length > 0,
    );
    process.env[ANALYSIS_THREADS_ENV] = '3';
    const again = await p.update({ modules: ['connection_strength'], force: true, experimentIds: [experiment] });
    assert.equal(again.modules.connection_strength?.succeeded, 1, JSON.stringify(again.failures));
    assert.deepStrictEqual(await rows(), one);
  });

  it('a pair whose analysis throws on a thread fails the job at once, naming the site and the pair, with no rows', async () => {
    process.env[ANALYSIS_THREADS_ENV] = '2';
    // NaN samples in every window of one pair: the train fit throws (a TypeError inside psp-fit).
    const em = p.db.orm.em.fork();
    const [pair] = await query<{ id: number; pre: string; post: string }>(
      em,
      sql`SELECT p.id, pre.ext_id AS pre, post.ext_id AS post FROM pair p
      JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id
      WHERE p.id IN (SELECT pair_id FROM connection_strength WHERE fit_amplitude IS NOT NULL) ORDER BY p.id LIMIT 1`,
    );
    assert.ok(pair, 'a fitted pair to break');
    await query(
      em,
      sql`UPDATE pulse_response SET data = decode(repeat('0000c07f', length(data) / 4), 'hex') WHERE pair_id = ${pair.id}`,
    );
    const run = await p.update({ modules: ['connection_strength'], force: true, experimentIds: [experiment] });
    assert.equal(run.modules.connection_strength?.failed, 1);
    const [job] = await query<{ status: string; error_type: string; error_message: string; attempts: number }>(
      p.db.orm.em.fork(),
      sql`SELECT status, error_type, error_message, attempts FROM pipeline_job WHERE module = 'connection_strength'`,
    );
    assert.equal(job!.status, 'failed');
    assert.equal(job!.error_type, 'BadInput');
    assert.equal(job!.attempts, 1, 'not retried');
    assert.match(
      job!.error_message,
      new RegExp(
        `${experiment.split('/').at(-1)}.*cell ${pair.pre} → cell ${pair.post} \\(current clamp\\): analysis failed: TypeError`,
      ),
    );
    const left = await rows();
    for (const [table] of TABLES) assert.equal(left[table]!.length, 0, `${table}: nothing partial`);
  });
});
