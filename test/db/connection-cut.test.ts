import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { query, sql } from '../../src/db/sql.js';
import { openOrm, type Orm } from '../../src/schema/orm.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testServers } from '../helpers/servers.js';

// A transaction whose connection the server cuts (a failover, pg_terminate_backend) must give its
// pooled connection back. kysely before 0.29.9 lost it when the rollback failed on the dead
// connection, so a worker with a small pool hung for good after a few cuts (the fault suite's
// pg_terminate_backend scenario, seen in CI). A pool of one shows a leak at the first cut.
let db: TestDatabase;
let orm: Orm;
before(async () => {
  db = await createTestDatabase();
  orm = await openOrm(db.url, { poolMax: 1 });
});
after(async () => {
  await orm?.close();
  await db?.drop();
});

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: (await testServers()).postgresUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

test('a transaction cut by the server gives its connection back to the pool, three times over', async () => {
  for (let round = 0; round < 3; round++) {
    await assert.rejects(
      orm.em.fork().transactional(async (em) => {
        const [me] = await query<{ pid: number }>(em, sql`SELECT pg_backend_pid() AS pid`);
        await terminate(me!.pid);
        await query(em, sql`SELECT 1`);
      }),
      /terminat|connection|not queryable/i,
    );
    // With the connection leaked this waits forever; bounded so the test fails instead.
    const next = query<{ one: number }>(orm.em.fork(), sql`SELECT 1 AS one`);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`round ${round}: the pool had no connection left`)), 10_000).unref(),
    );
    assert.deepEqual(await Promise.race([next, timeout]), [{ one: 1 }]);
  }
});
