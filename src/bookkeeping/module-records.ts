// All SQL on pipeline_module: the external modules whose tables the database holds.
import { insertRows } from '../db/entity-rows.js';
import type { Em } from '../db/orm.js';
import { execute, query, sql } from '../db/sql.js';
import { PipelineModuleSchema } from './entities.js';

export interface ModuleRecord {
  name: string;
  version: string;
  origin: string;
  tablesHash: string;
  tables: Record<string, unknown>;
}

export async function moduleRecords(em: Em): Promise<ModuleRecord[]> {
  return query<ModuleRecord>(
    em,
    sql`SELECT name, version, origin, tables_hash AS "tablesHash", tables FROM pipeline_module ORDER BY name`,
  );
}

/** Inserts or replaces the record of one external module. */
export async function saveModuleRecord(em: Em, record: ModuleRecord): Promise<void> {
  await execute(em, sql`DELETE FROM pipeline_module WHERE name = ${record.name}`);
  await insertRows(em, PipelineModuleSchema, [{ ...record, registeredAt: new Date() }]);
}

export async function deleteModuleRecord(em: Em, name: string): Promise<void> {
  await execute(em, sql`DELETE FROM pipeline_module WHERE name = ${name}`);
}
