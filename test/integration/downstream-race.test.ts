// A job reads its downstream jobs' statuses in its start statement, before its transaction. If a
// downstream record appears after that read, the job's drop may have missed that job's rows, so
// the job must roll back (and be retried) rather than commit results its downstream disagrees with.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { upsertJobRecord } from '../../src/bookkeeping/job-records.js';
import { query, sql } from '../../src/db/sql.js';
import { runJob, type RunJobRequest } from '../../src/jobs/run-job.js';
import { metadataModules, pipelineModules } from '../../src/modules/index.js';
import type { PipelineModule } from '../../src/modules/types.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRoot } from '../helpers/sample.js';

describe('a downstream record written while its upstream job runs', () => {
  const { root, experiments } = sampleRoot(1, 1, 3, 58);
  const site = experiments[0]!;
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  let reachedGate!: () => void;
  const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
  // Attempt 1 of the experiment job waits at the gate, inside its transaction.
  const experiment = metadataModules.find((m) => m.name === 'experiment')!;
  const gated: PipelineModule = {
    ...experiment,
    process: async (ctx) => {
      if (ctx.attempt === 1) {
        reachedGate();
        await gate;
      }
      return experiment.process(ctx);
    },
  };
  // A downstream module of the same scope, with no tables: only its record matters here.
  const downstream: PipelineModule = {
    ...pipelineModules.find((m) => m.name === 'cell_class')!,
    entities: [],
    tables: [],
    rawInputs: () => [],
    process: async () => ({ rows: {} }),
    drop: async () => ({}),
  };
  let p: TestPipeline;
  before(async () => {
    p = await startTestPipeline([root], [metadataModules[0]!, gated, downstream]);
    const slices = await p.update({ modules: ['slice'] });
    assert.equal(slices.sliceJobs.done, 1);
  });
  after(async () => p?.close());

  const attempt = (n: number) =>
    runJob(
      { orm: p.db.orm, registry: p.registry, dataRoots: [root], settle: { seconds: 0 } },
      {
        module: 'experiment',
        jobId: site,
        reason: 'new',
        attempt: n,
        workflowId: 'experiment/test',
        runId: 'run-1',
        workerIdentity: `worker-${n}`,
      } satisfies RunJobRequest,
      { heartbeat: () => undefined, signal: new AbortController().signal, isCancellation: () => false },
    );
  const state = async () => {
    const em = p.db.orm.em.fork();
    const records = await query<{ module: string; status: string }>(
      em,
      sql`SELECT module, status FROM pipeline_job WHERE job_id = ${site} ORDER BY module`,
    );
    const [rows] = await query<{ n: number }>(em, sql`SELECT count(*)::int AS n FROM experiment WHERE id = ${site}`);
    return { records: Object.fromEntries(records.map((r) => [r.module, r.status])), rows: rows!.n };
  };

  it('rolls the job back instead of committing, and its retry succeeds', async () => {
    const first = attempt(1);
    await atGate;
    await upsertJobRecord(p.db.orm.em.fork(), { module: 'cell_class', jobId: site, status: 'succeeded' });
    openGate();
    await assert.rejects(first, /a downstream job was recorded while this one ran/);
    // Its failure record drops the downstream record too, as any failed upstream job does.
    assert.deepEqual(await state(), { records: { experiment: 'failed' }, rows: 0 });
    const retry = await attempt(2);
    assert.equal(retry.rows.experiment, 1);
    assert.deepEqual(await state(), { records: { experiment: 'succeeded' }, rows: 1 });
  });
});
