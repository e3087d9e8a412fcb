import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadPlanUnits, pruneOldPlans, storePlanUnits } from '../../src/bookkeeping/plans.js';
import { execute, query, sql } from '../../src/db/sql.js';
import { createRegistry } from '../../src/modules/index.js';
import { storePlan } from '../../src/planning/store-plan.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(() => db.drop());

const em = () => db.orm.em.fork();
const unit = (key: string) => ({
  kind: 'experiment' as const,
  key,
  jobs: [{ module: 'dataset', jobId: key, reason: 'new' }],
});
const rowsOf = async (updateId: string) =>
  Number(
    (await query<{ n: string }>(em(), sql`SELECT count(*) AS n FROM pipeline_plan WHERE update_id = ${updateId}`))[0]!
      .n,
  );
const age = (updateId: string, days: number) =>
  execute(
    em(),
    sql`UPDATE pipeline_plan SET created_at = now() - make_interval(days => ${days}) WHERE update_id = ${updateId}`,
  );

describe('stored plans', () => {
  it('are paged in order per kind, and storing again replaces them', async () => {
    await storePlanUnits(em(), 'u-page', ['a', 'b', 'c'].map(unit));
    assert.deepEqual(
      (await loadPlanUnits(em(), 'u-page', 'experiment', 1, 10)).map((u) => [u.seq, u.key]),
      [
        [1, 'b'],
        [2, 'c'],
      ],
    );
    await storePlanUnits(em(), 'u-page', [unit('z')]);
    assert.equal(await rowsOf('u-page'), 1);
  });

  it('older than the retention are pruned in bounded batches, never those of updates to keep', async () => {
    await storePlanUnits(
      em(),
      'u-old',
      Array.from({ length: 12 }, (_, i) => unit(`s/${i}`)),
    );
    await storePlanUnits(em(), 'u-old-running', [unit('x'), unit('y')]);
    await storePlanUnits(em(), 'u-fresh', [unit('f')]);
    await age('u-old', 8);
    await age('u-old-running', 30);
    assert.equal(await pruneOldPlans(em(), ['u-old-running'], 7, 5), 5);
    assert.equal(await pruneOldPlans(em(), ['u-old-running'], 7, 5), 5);
    assert.equal(await pruneOldPlans(em(), ['u-old-running'], 7, 5), 2);
    assert.equal(await pruneOldPlans(em(), ['u-old-running'], 7, 5), 0);
    assert.deepEqual([await rowsOf('u-old'), await rowsOf('u-old-running'), await rowsOf('u-fresh')], [0, 2, 1]);
  });

  it('planning an update prunes old plans as it stores its own', async () => {
    await storePlanUnits(em(), 'u-last-week', [unit('q'), unit('r')]);
    await age('u-last-week', 9);
    const summary = await storePlan(em(), createRegistry(), 'u-now', {
      jobs: [],
      notReady: {},
      orphans: [],
      warnings: [],
      waiting: [],
    });
    assert.ok(summary.prunedPlanRows >= 2, `pruned ${summary.prunedPlanRows}`);
    assert.equal(await rowsOf('u-last-week'), 0);
  });
});
