// All SQL on pipeline_lock. Updates run one at a time: a second update waits, then plans against
// the first one's results, so no job runs twice and no slice re-run cascades over fresh results.
import type { Em } from '../db/orm.js';
import { execute, query, sql } from '../db/sql.js';

const UPDATE_LOCK = 'update';

/** The update holding the lock, if any. */
export async function updateLockHolder(em: Em): Promise<string | undefined> {
  const rows = await query<{ holder: string }>(em, sql`SELECT holder FROM pipeline_lock WHERE name = ${UPDATE_LOCK}`);
  return rows[0]?.holder;
}

/**
 * One attempt to take the update lock for `updateId`. A holder that `holderAlive` says has
 * finished (it crashed without releasing) loses the lock; the take is one atomic statement.
 */
export async function tryTakeUpdateLock(
  em: Em,
  updateId: string,
  holderAlive: (holder: string) => Promise<boolean>,
): Promise<{ taken: boolean; holder: string }> {
  const holder = await updateLockHolder(em);
  if (holder === updateId) return { taken: true, holder };
  if (holder && (await holderAlive(holder))) return { taken: false, holder };
  // Take it if it is free, or still held by the dead holder we saw; otherwise someone else was faster.
  const rows = await query<{ holder: string }>(
    em,
    sql`INSERT INTO pipeline_lock (name, holder, taken_at) VALUES (${UPDATE_LOCK}, ${updateId}, now())
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, taken_at = excluded.taken_at
      WHERE pipeline_lock.holder = ${holder ?? null}
    RETURNING holder`,
  );
  if (rows.length > 0) return { taken: true, holder: updateId };
  return { taken: false, holder: (await updateLockHolder(em)) ?? 'another update' };
}

export async function releaseUpdateLock(em: Em, updateId: string): Promise<void> {
  await execute(em, sql`DELETE FROM pipeline_lock WHERE name = ${UPDATE_LOCK} AND holder = ${updateId}`);
}
