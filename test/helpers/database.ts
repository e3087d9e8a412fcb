import crypto from 'node:crypto';
import pg from 'pg';
import { migrate, openOrm, type Orm } from '../../src/schema/orm.js';
import type { ModuleRegistry } from '../../src/modules/index.js';
import { testServers } from './servers.js';

export interface TestDatabase {
  url: string;
  orm: Orm;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the shared test PostgreSQL: tests never see each other's rows. */
export async function createTestDatabase(registry?: ModuleRegistry): Promise<TestDatabase> {
  const { postgresUrl } = await testServers();
  const name = `mpctl_test_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = postgresUrl.replace(/\/postgres$/, `/${name}`);
  // Room for a worker running many jobs at once (the orchestration benchmark runs 20).
  const orm = await openOrm(url, { poolMax: 30, registry });
  await migrate(orm);
  return {
    url,
    orm,
    async drop() {
      await orm.close();
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
