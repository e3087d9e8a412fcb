import type { Em } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import type { ReleaseColumn, ReleaseTable } from './columns.js';

/** Only these experiments' rows (and their slices'); null = everything. */
export type ExperimentFilter = string[] | null;

/** The WHERE clause that keeps a table's rows of the chosen experiments, by whichever key it has. */
function filterFor(table: string, columns: ReleaseColumn[], experiments: ExperimentFilter) {
  if (!experiments) return sql``;
  const has = (c: string) => columns.some((col) => col.name === c);
  if (table === 'experiment') return sql`WHERE id = ANY(${experiments}::text[])`;
  if (has('experiment_id')) return sql`WHERE experiment_id = ANY(${experiments}::text[])`;
  const slices = sql`SELECT slice_id FROM experiment WHERE id = ANY(${experiments}::text[])`;
  if (table === 'slice') return sql`WHERE id IN (${slices})`;
  if (has('slice_id')) return sql`WHERE slice_id IN (${slices})`;
  return sql``;
}

/** Converts a driver value into the release's plain value for its kind (JSON as text, bigint as BigInt). */
export function releaseValue(column: ReleaseColumn, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (column.kind) {
    case 'bigint':
      return BigInt(v as string);
    case 'timestamp':
      return v instanceof Date ? v.toISOString() : String(v);
    case 'bytes':
      return v instanceof Uint8Array ? v : Buffer.from(v as string);
    default:
      return v;
  }
}

/** Every row of one table (of the chosen experiments), ordered by its primary key, column-major. */
export async function readTable(
  em: Em,
  table: string,
  columns: ReleaseColumn[],
  experiments: ExperimentFilter,
): Promise<ReleaseTable> {
  // JSON travels as its text, so every format stores exactly what the database holds.
  const select = sql.join(
    columns.map((c) => (c.kind === 'json' ? sql`${sql.ref(c.name)}::text AS ${sql.ref(c.name)}` : sql.ref(c.name))),
  );
  const keys = columns.filter((c) => c.primaryKey).map((c) => sql.ref(c.name));
  const order = keys.length ? sql`ORDER BY ${sql.join(keys)}` : sql``;
  const rows = await query<Record<string, unknown>>(
    em,
    sql`SELECT ${select} FROM ${sql.table(table)} ${filterFor(table, columns, experiments)} ${order}`,
  );
  return {
    name: table,
    columns,
    values: columns.map((c) => rows.map((r) => releaseValue(c, r[c.name]))),
    rows: rows.length,
  };
}
