import type { EntityMetadata, MetadataStorage } from '@mikro-orm/core';
import type { AnySchema } from '../db/entity-rows.js';
import type { Em } from '../db/orm.js';
import { deleteWhereIn } from '../db/sql.js';
import { ConfigError } from '../errors/index.js';
import { JOB_TABLE, type JobScope } from './types.js';

/** A table a module owns, and the column that names the job each row belongs to. */
export interface OwnedTable {
  table: string;
  jobColumn: string;
}

/**
 * The module's tables in the order a drop deletes them: a table that references another owned
 * table goes first (the foreign keys point up the tree). Each row belongs to a job through the
 * job's own primary key (the `experiment`/`slice` table) or a reference to that row.
 */
export function ownedTables(
  metadata: MetadataStorage,
  module: string,
  scope: JobScope,
  entities: AnySchema[],
): OwnedTable[] {
  const metas = entities.map((schema) => metadata.get(schema));
  const remaining = new Set(metas);
  const ordered: EntityMetadata[] = [];
  while (remaining.size > 0) {
    // Next: a table no other remaining table still points at.
    const next = [...remaining].find(
      (meta) => ![...remaining].some((other) => other !== meta && references(other, meta)),
    );
    if (!next)
      throw new ConfigError(`module "${module}": its tables reference each other in a cycle; declare its drop`);
    ordered.push(next);
    remaining.delete(next);
  }
  return ordered.map((meta) => ({ table: meta.tableName, jobColumn: jobColumnOf(module, scope, meta) }));
}

function references(from: EntityMetadata, to: EntityMetadata): boolean {
  return from.props.some(
    (prop) => (prop.kind === 'm:1' || prop.kind === '1:1') && prop.targetMeta?.tableName === to.tableName,
  );
}

function jobColumnOf(module: string, scope: JobScope, meta: EntityMetadata): string {
  const jobTable = JOB_TABLE[scope];
  if (meta.tableName === jobTable) return meta.getPrimaryProps()[0]!.fieldNames[0]!;
  const ref = meta.props.find((prop) => prop.kind === 'm:1' && prop.targetMeta?.tableName === jobTable);
  if (!ref) {
    throw new ConfigError(
      `module "${module}": table ${meta.tableName} has no reference to ${jobTable}, so its rows cannot be dropped per job; add one`,
    );
  }
  return ref.fieldNames[0]!;
}

/** The default drop: deletes a module's rows for some jobs, table by table in `ownedTables` order. */
export async function dropOwnedRows(em: Em, tables: OwnedTable[], jobIds: string[]): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const { table, jobColumn } of tables) deleted[table] = await deleteWhereIn(em, table, jobColumn, jobIds);
  return deleted;
}
