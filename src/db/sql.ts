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

/** One column of a bulk insert; its values come from `row[key]` (the column name when no key is given). */
export interface InsertColumn {
  name: string;
  type: ColumnType;
  key?: string;
}

/**
 * Inserts many rows in one statement: one array parameter per column, expanded by unnest.
 * Table and column names come from code, never from input; every value is a bound parameter.
 *
 * bytea columns skip the array literal: as a bytea[] element every byte would travel as two
 * hex digits and be parsed back by array_in. Instead all values of the column go as one
 * binary parameter (node-postgres sends Buffers in binary format) plus offset and length
 * arrays, and each row takes its substring: half the bytes on the wire and no text parsing.
 */
export async function bulkInsert<Row extends Record<string, unknown>>(
  em: Em,
  table: string,
  columns: Record<string, ColumnType> | InsertColumn[],
  rows: Row[],
  returning: string[] = [],
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const list: InsertColumn[] = Array.isArray(columns)
    ? columns
    : Object.entries(columns).map(([name, type]) => ({ name, type }));
  const names = list.map((column) => column.name);
  const arrays: RawBuilder<unknown>[] = [];
  const aliases: string[] = [];
  const selects = list.map(({ name, type, key = name }, i) => {
    const packed = type === 'bytea' ? packBytes(rows, key) : undefined;
    if (packed) {
      arrays.push(sql`${packed.offsets}::int4[]`, sql`${packed.lengths}::int4[]`);
      aliases.push(`o${i}`, `l${i}`);
      return sql`substring(${packed.blob}::bytea FROM ${sql.id(`o${i}`)} FOR ${sql.id(`l${i}`)})`;
    }
    const values = rows.map((row) => {
      const value = row[key];
      if (value === undefined || value === null) return null;
      return type === 'jsonb' ? JSON.stringify(value) : value;
    });
    arrays.push(sql`${values}::${sql.raw(type)}[]`);
    aliases.push(`c${i}`);
    return sql.id(`c${i}`);
  });
  const statement = sql`INSERT INTO ${sql.id(table)} (${sql.join(names.map((n) => sql.id(n)))})
    SELECT ${sql.join(selects)} FROM unnest(${sql.join(arrays)}) AS u(${sql.join(aliases.map((a) => sql.id(a)))})
    ${returning.length ? sql`RETURNING ${sql.join(returning.map((n) => sql.id(n)))}` : sql``}`;
  return query(em, statement);
}

/**
 * One column's byte values concatenated, with 1-based offsets and lengths (null for SQL NULL).
 * Undefined when a value is not bytes, so such input keeps the array-literal path.
 */
function packBytes(
  rows: Record<string, unknown>[],
  name: string,
): { blob: Buffer; offsets: number[]; lengths: (number | null)[] } | undefined {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  const lengths: (number | null)[] = [];
  let at = 0;
  for (const row of rows) {
    const value = row[name];
    if (value === undefined || value === null) {
      offsets.push(1);
      lengths.push(null);
      continue;
    }
    if (!ArrayBuffer.isView(value)) return undefined;
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    parts.push(bytes);
    offsets.push(at + 1);
    lengths.push(bytes.byteLength);
    at += bytes.byteLength;
  }
  // A bytea parameter tops out at 1 GB; beyond that the caller must chunk anyway.
  if (at >= 2 ** 30)
    throw new RangeError(`bulkInsert into ${name}: ${at} bytes in one statement, over PostgreSQL's 1 GB limit`);
  return { blob: Buffer.concat(parts, at), offsets, lengths };
}

/** Deletes a module's rows for some jobs; returns how many went. */
export async function deleteWhereIn(em: Em, table: string, column: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return execute(em, sql`DELETE FROM ${sql.id(table)} WHERE ${sql.id(column)} = ANY(${ids}::text[])`);
}

/**
 * A module's drop: deletes its rows for some jobs table by table, in the order given (children
 * before parents, as the foreign keys require); returns rows deleted per table.
 */
export async function deleteJobRows(
  em: Em,
  jobIds: string[],
  tables: [table: string, jobColumn: string][],
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const [table, column] of tables) deleted[table] = await deleteWhereIn(em, table, column, jobIds);
  return deleted;
}
