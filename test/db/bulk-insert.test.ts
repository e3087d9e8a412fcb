import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bulkInsert, execute, query, sql } from '../../src/db/sql.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
  await execute(
    db.orm.em.fork(),
    sql`CREATE TABLE bi (id serial PRIMARY KEY, name text, n int4, data bytea, extra bytea, meta jsonb)`,
  );
});
after(() => db.drop());

test('bulkInsert stores bytea values byte for byte, with NULL, empty and non-Buffer views, next to other columns', async () => {
  const f = new Float32Array([1.5, -2, Number.NaN, 3.25e-12]);
  const rows = [
    { name: 'a', n: 1, data: Buffer.from([0, 1, 2, 255]), extra: null, meta: { k: [1] } },
    { name: 'b', n: null, data: null, extra: new Uint8Array([92, 34, 0]), meta: null },
    { name: 'c\\"x', n: 3, data: Buffer.alloc(0), extra: f, meta: ['q'] },
  ];
  const ids = await bulkInsert(
    db.orm.em.fork(),
    'bi',
    { name: 'text', n: 'int4', data: 'bytea', extra: 'bytea', meta: 'jsonb' },
    rows,
    ['id'],
  );
  assert.equal(ids.length, 3);
  const got = await query<{ name: string; n: number | null; data: Buffer | null; extra: Buffer | null; meta: unknown }>(
    db.orm.em.fork(),
    sql`SELECT name, n, data, extra, meta FROM bi ORDER BY id`,
  );
  assert.deepEqual(
    got.map((r) => r.name),
    ['a', 'b', 'c\\"x'],
  );
  assert.deepEqual(
    got.map((r) => r.n),
    [1, null, 3],
  );
  assert.deepEqual(got[0]!.data, Buffer.from([0, 1, 2, 255]));
  assert.equal(got[1]!.data, null);
  assert.deepEqual(got[2]!.data, Buffer.alloc(0));
  assert.equal(got[0]!.extra, null);
  assert.deepEqual(got[1]!.extra, Buffer.from([92, 34, 0]));
  assert.deepEqual(got[2]!.extra, Buffer.from(f.buffer));
  assert.deepEqual(
    got.map((r) => r.meta),
    [{ k: [1] }, null, ['q']],
  );
});
