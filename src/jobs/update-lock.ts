import type { Em } from '../db/orm.js';
import { execute, query, sql } from '../db/sql.js';

/** Any fixed number: the advisory lock that makes check-and-take of the update lock atomic. */
const LOCK_KEY = 7_261_122;

/**
 * Updates run one at a time: a second update waits, then plans against the first one's results,
 * so no job runs twice and no slice re-run cascades over results another update just wrote.
 * The lock is a row in pipeline_plan (kind `lock`); `ownerAlive` lets a crashed owner's lock go.
 */
export async function tryTakeUpdateLock(
  em: Em,
  updateId: string,
  ownerAlive: (owner: string) => Promise<boolean>,
): Promise<{ taken: boolean; owner: string }> {
  const current = await query<{ update_id: string }>(
    em,
    sql`SELECT update_id FROM pipeline_plan WHERE kind = 'lock' AND key = 'update'`,
  );
  const owner = current[0]?.update_id;
  if (owner === updateId) return { taken: true, owner };
  if (owner && (await ownerAlive(owner))) return { taken: false, owner };
  return em.transactional(async (tx) => {
    await execute(tx, sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    const again = await query<{ update_id: string }>(
      tx,
      sql`SELECT update_id FROM pipeline_plan WHERE kind = 'lock' AND key = 'update'`,
    );
    if (again[0] && again[0].update_id !== owner) return { taken: false, owner: again[0].update_id };
    await execute(tx, sql`DELETE FROM pipeline_plan WHERE kind = 'lock' AND key = 'update'`);
    await execute(
      tx,
      sql`INSERT INTO pipeline_plan (update_id, kind, seq, key, jobs, created_at) VALUES (${updateId}, 'lock', 0, 'update', '[]'::jsonb, now())`,
    );
    return { taken: true, owner: updateId };
  });
}

export async function releaseUpdateLock(em: Em, updateId: string): Promise<void> {
  await execute(em, sql`DELETE FROM pipeline_plan WHERE kind = 'lock' AND key = 'update' AND update_id = ${updateId}`);
}
