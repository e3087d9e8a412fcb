import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { allEntities } from '../entities/index.js';
import { migrationsList } from '../migrations/index.js';

export type Orm = MikroORM;
export type Em = EntityManager;

export interface OrmOptions {
  /** Connections in the pool; a worker needs about one per concurrent activity. */
  poolMax?: number;
}

/** One ORM per process; every unit of work forks its own EntityManager from it. */
export async function openOrm(databaseUrl: string, options: OrmOptions = {}): Promise<Orm> {
  return MikroORM.init({
    clientUrl: databaseUrl,
    entities: allEntities,
    extensions: [Migrator],
    migrations: { migrationsList, snapshot: false, transactional: true, allOrNothing: true, silent: true },
    pool: { min: 0, max: options.poolMax ?? 10 },
    debug: false,
    allowGlobalContext: false,
    // The schema is owned by migrations, never by entity discovery at start-up.
    ensureDatabase: false,
  });
}

/** Applies pending migrations; returns the names that ran. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((migration) => migration.name);
}
