#!/usr/bin/env node
// Generates the next migration from the difference between the entities and the committed
// snapshot, against a throwaway embedded PostgreSQL. Run after `npm run build`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// MikroORM's generator needs Node >= 22 (it uses fs.globSync): run on the pinned Node if need be.
await (await import(path.join(root, 'bin/pinned-node.js'))).usePinnedNode();
const { startEmbeddedPostgres, randomPassword } = await import(path.join(root, 'dist/src/stack/postgres.js'));
const { findFreePort } = await import(path.join(root, 'dist/src/util/ports.js'));
const { bookkeepingEntities } = await import(path.join(root, 'dist/src/bookkeeping/entities.js'));
const { createRegistry } = await import(path.join(root, 'dist/src/modules/index.js'));
const { loadMigrations } = await import(path.join(root, 'dist/src/schema/migrations/index.js'));
const migrationsList = await loadMigrations();
const { MikroORM } = await import('@mikro-orm/postgresql');
const { Migrator, TSMigrationGenerator } = await import('@mikro-orm/migrations');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-migrate-'));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({
  dir,
  port: await findFreePort(),
  user: 'mpctl',
  password: randomPassword(),
  database: 'mpctl',
  log: () => {},
  settings: { fsync: 'off' },
});
try {
  const orm = await MikroORM.init({
    clientUrl: pg.url,
    entities: [...bookkeepingEntities, ...createRegistry().entities],
    extensions: [Migrator],
    migrations: {
      path: path.join(root, 'src/schema/migrations'),
      emit: 'ts',
      snapshot: true,
      migrationsList,
      generator: TSMigrationGenerator,
    },
  });
  await orm.migrator.up();
  const name = process.argv[2] ?? 'change';
  const result = await orm.migrator.create(undefined, false, migrationsList.length === 0, name);
  console.log(
    result.fileName
      ? `wrote src/schema/migrations/${result.fileName}; it is picked up from the folder, nothing else to edit`
      : 'no schema changes',
  );
  await orm.close();
} finally {
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
