import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { bookkeepingEntities } from '../bookkeeping/entities.js';
import type { Orm } from '../db/orm.js';
import { createRegistry, type ModuleRegistry } from '../modules/index.js';
import { ownedTables } from '../modules/owned-tables.js';
import { loadMigrations } from './migrations/index.js';

export type { Em, Orm } from '../db/orm.js';

export interface OrmOptions {
  /** Connections in the pool; a worker needs about one per concurrent activity. */
  poolMax?: number;
  /** The modules whose tables the ORM knows (default: the built-in pipeline). */
  registry?: ModuleRegistry;
}

/** One ORM per process over the pipeline's own tables and every module's; units of work fork from it. */
export async function openOrm(databaseUrl: string, options: OrmOptions = {}): Promise<Orm> {
  const registry = options.registry ?? createRegistry();
  const orm = await MikroORM.init({
    clientUrl: databaseUrl,
    entities: [...bookkeepingEntities, ...registry.entities],
    extensions: [Migrator],
    migrations: {
      migrationsList: await loadMigrations(),
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    debug: false,
    allowGlobalContext: false,
    // The schema is owned by migrations, never by entity discovery at start-up.
    ensureDatabase: false,
  });
  // A module whose tables cannot be dropped per job fails here, at start-up, not at its first drop.
  for (const module of registry.ordered) ownedTables(orm.getMetadata(), module.name, module.scope, module.entities);
  return orm;
}

/** Applies pending migrations; returns the names that ran. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}
