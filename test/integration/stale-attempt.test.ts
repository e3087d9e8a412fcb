// An attempt whose heartbeat timed out keeps running until it next heartbeats; by then Temporal
// has started (and may have finished) the retry. When the stale attempt then fails as cancelled,
// it must not drop the retry's results nor overwrite its `succeeded` record: downstream jobs
// would see their upstream as `cancelled` (seen in a loaded scaling run before this fence).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { runJob, type RunJobRequest } from '../../src/jobs/run-job.js';
import { metadataModules } from '../../src/modules/index.js';
import type { PipelineModule } from '../../src/modules/types.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRoot } from '../helpers/sample.js';

describe('a stale attempt that fails after its retry succeeded', () => {
  const { root, experiments } = sampleRoot(1, 1, 3, 57);
  const site = experiments[0]!;
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  let reachedGate!: () => void;
  const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
  // Attempt 1 waits at the gate (its heartbeat "times out"), then learns it was cancelled.
  const modules: PipelineModule[] = metadataModules.map((m) =>
    m.name !== 'experiment'
      ? m
      : {
          ...m,
          process: async (ctx) => {
            if (ctx.attempt === 1) {
              reachedGate();
              await gate;
              throw new Error('activity cancelled: heartbeat timeout');
            }
            return m.process(ctx);
          },
        },
  );
  let p: TestPipeline;
  before(async () => {
    p = await startTestPipeline([root], modules);
    // The experiment job's upstream.
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
      { heartbeat: () => undefined, signal: new AbortController().signal, isCancellation: () => true },
    );
  const state = async () => {
    const em = p.db.orm.em.fork();
    const [record] = await query<{ status: string; attempts: number }>(
      em,
      sql`SELECT status, attempts FROM pipeline_job WHERE module = 'experiment' AND job_id = ${site}`,
    );
    const [rows] = await query<{ n: number }>(em, sql`SELECT count(*)::int AS n FROM experiment WHERE id = ${site}`);
    return { ...record, rows: rows!.n };
  };

  it("keeps the retry's rows and its succeeded record", async () => {
    const stale = attempt(1);
    await atGate;
    const retry = await attempt(2);
    assert.equal(retry.rows.experiment, 1);
    assert.deepEqual(await state(), { status: 'succeeded', attempts: 2, rows: 1 });
    openGate();
    await assert.rejects(stale, /heartbeat timeout/);
    assert.deepEqual(await state(), { status: 'succeeded', attempts: 2, rows: 1 }, 'the stale failure changed nothing');
  });

  it('an attempt that still owns the job records its failure and keeps no rows, as before', async () => {
    // Attempt 1 again, now the latest to start: it owns the record, so its failure is the job's.
    await assert.rejects(attempt(1), /heartbeat timeout/);
    assert.deepEqual(await state(), { status: 'cancelled', attempts: 1, rows: 0 });
  });
});
