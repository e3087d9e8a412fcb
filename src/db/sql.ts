import { sql, type RawBuilder } from 'kysely';
import type { Em } from './orm.js';

export { sql };

/** Runs a parameterised statement on the EntityManager's connection (its transaction, when inside one). */
export async function query<Row = Record<string, unknown>>(em: Em, statement: RawBuilder<unknown>): Promise<Row[]> {
  const result = await statement.execute(em.getKysely());
  return result.rows as Row[];
}

export async function execute(em: Em, statement: RawBuilder<unknown>): Promise<number> {
  const result = await statement.execute(em.getKysely());
  return Number(result.numAffectedRows ?? 0);
}

export type ColumnType = 'text' | 'int4' | 'int8' | 'float4' | 'float8' | 'bool' | 'jsonb' | 'bytea' | 'timestamptz';

/**
 * Inserts many rows in one statement: one array parameter per column, expanded by unnest.
 * Table and column names come from code, never from input; every value is a bound parameter.
 */
export async function bulkInsert<Row extends Record<string, unknown>>(
  em: Em,
  table: string,
  columns: Record<string, ColumnType>,
  rows: Row[],
  returning: string[] = [],
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const names = Object.keys(columns);
  const arrays = names.map((name) => {
    const type = columns[name];
    const values = rows.map((row) => {
      const value = row[name];
      if (value === undefined || value === null) return null;
      return type === 'jsonb' ? JSON.stringify(value) : value;
    });
    return sql`${values}::${sql.raw(type)}[]`;
  });
  const statement = sql`INSERT INTO ${sql.id(table)} (${sql.join(names.map((n) => sql.id(n)))})
    SELECT * FROM unnest(${sql.join(arrays)})
    ${returning.length ? sql`RETURNING ${sql.join(returning.map((n) => sql.id(n)))}` : sql``}`;
  return query(em, statement);
}

/** Deletes a module's rows for some jobs; returns how many went. */
export async function deleteWhereIn(em: Em, table: string, column: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return execute(em, sql`DELETE FROM ${sql.id(table)} WHERE ${sql.id(column)} = ANY(${ids}::text[])`);
}
