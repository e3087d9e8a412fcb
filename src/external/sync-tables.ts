import { isDeepStrictEqual } from 'node:util';
import { DatabaseSchema, MikroORM, SchemaComparator } from '@mikro-orm/postgresql';
import { bookkeepingEntities } from '../bookkeeping/entities.js';
import {
  deleteModuleRecord,
  moduleRecords,
  saveModuleRecord,
  type ModuleRecord,
} from '../bookkeeping/module-records.js';
import type { Em } from '../db/orm.js';
import { execute, sql } from '../db/sql.js';
import { ConfigError } from '../errors/index.js';
import { pipelineModules } from '../modules/index.js';
import { schemaHash, type ModuleManifest, type TableDeclaration } from './manifest.js';
import { tableEntities } from './table-entities.js';

export type TableAction = 'create' | 'rebuild' | 'record' | 'unchanged';

export interface TableSyncReport {
  /** What happened to each external module's tables. */
  modules: { name: string; version: string; action: TableAction; tables: string[] }[];
  /** The DDL that ran (or would run, on a dry run). */
  statements: string[];
}

/** One sync at a time across every process that runs it (CLI, workers). */
const SYNC_LOCK = 'mpctl external module tables';

/**
 * Brings the external modules' tables in line with their manifests, through MikroORM's schema
 * tooling (the declared tables become entities; the comparator diffs them against the database):
 * a new module's tables are created; a changed declaration needs a version bump and then the
 * tables are rebuilt; a declaration changed without a bump is a ConfigError naming the file.
 * Tables of modules whose folder has gone are left alone: removing a folder never deletes data.
 * Runs in one transaction under an advisory lock, so a failure changes nothing.
 */
export async function syncExternalTables(
  databaseUrl: string,
  manifests: ModuleManifest[],
  options: { dryRun?: boolean } = {},
): Promise<TableSyncReport> {
  const orm = await schemaOrm(databaseUrl, manifests);
  try {
    return await orm.em.fork().transactional(async (em) => {
      await execute(em as Em, sql`SELECT pg_advisory_xact_lock(hashtext(${SYNC_LOCK}))`);
      const records = new Map((await moduleRecords(em as Em)).map((r) => [r.name, r]));
      const modules = manifests.map((m) => ({
        name: m.name,
        version: m.version,
        tables: Object.keys(m.tables),
        action: actionFor(m, records.get(m.name)),
      }));
      const rebuilt = new Set(modules.filter((m) => m.action === 'rebuild').map((m) => m.name));
      const oldTables = [...rebuilt].flatMap((name) => Object.keys(records.get(name)!.tables));
      const statements = await schemaStatements(orm, em, manifests, oldTables);
      if (!options.dryRun) {
        for (const statement of statements)
          await em.getConnection().execute(statement, [], 'run', em.getTransactionContext());
        for (const m of manifests) {
          const record = records.get(m.name);
          const same =
            record &&
            record.version === m.version &&
            record.tablesHash === m.tablesHash &&
            record.origin === m.dir &&
            sameDeclaration(record, m);
          if (same) continue;
          await saveModuleRecord(em as Em, recordOf(m));
        }
      }
      const changed = statements.length > 0;
      return {
        modules: modules.map((m) =>
          m.action === 'unchanged' && changed && touches(statements, m.tables) ? { ...m, action: 'create' } : m,
        ),
        statements,
      };
    });
  } finally {
    await orm.close();
  }
}

/** The whole declaration, documentation included, key order aside (jsonb keeps its own), as JSON stores it. */
function sameDeclaration(record: ModuleRecord, manifest: ModuleManifest): boolean {
  return isDeepStrictEqual(record.tables, JSON.parse(JSON.stringify(manifest.tables)));
}

function actionFor(manifest: ModuleManifest, record: ModuleRecord | undefined): TableAction {
  if (!record) return 'create';
  // Compared by the shape of the stored declaration, so records written while descriptions still
  // counted towards the hash do not read as changed.
  if (schemaHash(record.tables as Record<string, TableDeclaration>) === manifest.tablesHash)
    return record.version === manifest.version &&
      record.tablesHash === manifest.tablesHash &&
      sameDeclaration(record, manifest)
      ? 'unchanged'
      : 'record';
  if (record.version === manifest.version) {
    throw new ConfigError(
      `${manifest.file}: tables: the declaration changed but version is still "${manifest.version}"; ` +
        'bump version to rebuild its tables and re-run its jobs (the old declaration is in pipeline_module)',
    );
  }
  return 'rebuild';
}

/**
 * Drops the tables of a module whose folder has gone (diffed against nothing, as a rebuild drops
 * its old tables) and forgets its record, under the sync lock in one transaction. Returns the DDL.
 */
export async function forgetRemovedModule(databaseUrl: string, record: ModuleRecord): Promise<string[]> {
  const orm = await schemaOrm(databaseUrl, []);
  try {
    return await orm.em.fork().transactional(async (em) => {
      await execute(em as Em, sql`SELECT pg_advisory_xact_lock(hashtext(${SYNC_LOCK}))`);
      const statements = await schemaStatements(orm, em, [], Object.keys(record.tables));
      for (const statement of statements)
        await em.getConnection().execute(statement, [], 'run', em.getTransactionContext());
      await deleteModuleRecord(em as Em, record.name);
      return statements;
    });
  } finally {
    await orm.close();
  }
}

/** A short-lived ORM that knows every table: the pipeline's, the built-in modules' and these manifests'. */
function schemaOrm(databaseUrl: string, manifests: ModuleManifest[]): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: databaseUrl,
    entities: [
      ...bookkeepingEntities,
      ...pipelineModules.flatMap((m) => m.entities),
      ...manifests.flatMap(tableEntities),
    ],
    pool: { min: 0, max: 3 },
    debug: false,
    allowGlobalContext: false,
    ensureDatabase: false,
  });
}

/**
 * The DDL from the database's state of these tables to the declarations: first the rebuilt
 * modules' old tables are dropped (diffed against nothing), then every declared table is diffed
 * against what is left, which creates missing tables and brings existing ones in line.
 */
async function schemaStatements(
  orm: MikroORM,
  em: { getTransactionContext(): unknown },
  manifests: ModuleManifest[],
  dropFirst: string[],
): Promise<string[]> {
  const platform = orm.em.getPlatform();
  const connection = orm.em.getConnection();
  const generator = orm.schema;
  const comparator = new SchemaComparator(platform);
  const declared = manifests.flatMap((m) => Object.keys(m.tables));
  const metas = manifests.flatMap(tableEntities).map((schema) => orm.getMetadata().get(schema.meta.className as never));
  const read = (tables: string[]) =>
    DatabaseSchema.create(
      connection,
      platform,
      orm.config,
      'public',
      undefined,
      tables.map((t) => new RegExp(`^${t}$`)),
      undefined,
      undefined,
      em.getTransactionContext() as never,
    );
  const out: string[] = [];
  if (dropFirst.length) {
    const before = await read(dropFirst);
    const nothing = DatabaseSchema.fromMetadata([], platform, orm.config, 'public');
    out.push(...split(generator.diffToSQL(comparator.compare(before, nothing), { wrap: false, dropTables: true })));
  }
  if (declared.length) {
    const current = dropFirst.length
      ? await read(declared.filter((t) => !dropFirst.includes(t)))
      : await read(declared);
    const target = DatabaseSchema.fromMetadata(metas, platform, orm.config, 'public');
    out.push(...split(generator.diffToSQL(comparator.compare(current, target), { wrap: false, dropTables: false })));
  }
  return out;
}

function split(ddl: string): string[] {
  return ddl
    .split(/;\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter(Boolean);
}

function touches(statements: string[], tables: string[]): boolean {
  return statements.some((s) => tables.some((t) => s.includes(`"${t}"`)));
}

function recordOf(manifest: ModuleManifest): ModuleRecord {
  return {
    name: manifest.name,
    version: manifest.version,
    origin: manifest.dir,
    tablesHash: manifest.tablesHash,
    tables: manifest.tables,
  };
}
