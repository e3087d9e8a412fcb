import type { Em } from '../db/orm.js';
import { query, sql } from '../db/sql.js';

/** How a column travels into a release, whatever the format. */
export type ColumnKind = 'int' | 'bigint' | 'float' | 'text' | 'bool' | 'bytes' | 'json' | 'timestamp';

export interface ReleaseColumn {
  name: string;
  kind: ColumnKind;
  nullable: boolean;
  /** Primary key column of its table. */
  primaryKey: boolean;
  /** `table.column` this column references, if it is a foreign key. */
  references: string | null;
}

export interface ReleaseTable {
  name: string;
  columns: ReleaseColumn[];
  /** Column-major values: values[c][r]. */
  values: unknown[][];
  rows: number;
}

function kindOf(table: string, column: string, dataType: string): ColumnKind {
  switch (dataType) {
    case 'integer':
    case 'smallint':
      return 'int';
    case 'bigint':
      return 'bigint';
    case 'double precision':
    case 'real':
    case 'numeric':
      return 'float';
    case 'boolean':
      return 'bool';
    case 'bytea':
      return 'bytes';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return 'timestamp';
    case 'text':
    case 'character varying':
    case 'character':
      return 'text';
    default:
      // A type the release has no encoding for would be silently mangled: refuse, naming the column.
      throw new Error(`${table}.${column}: column type "${dataType}" has no release encoding`);
  }
}

/** The columns of these tables as the database has them, in table order, with primary and foreign keys. */
export async function tableColumns(em: Em, tables: string[]): Promise<Map<string, ReleaseColumn[]>> {
  const rows = await query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: 'YES' | 'NO';
    pk: boolean;
    ref: string | null;
  }>(
    em,
    sql`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable,
      EXISTS (SELECT 1 FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema AND tc.table_name = c.table_name AND k.column_name = c.column_name) AS pk,
      (SELECT ccu.table_name || '.' || ccu.column_name FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
        JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
        WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = c.table_schema AND tc.table_name = c.table_name AND k.column_name = c.column_name
        LIMIT 1) AS ref
    FROM information_schema.columns c
    WHERE c.table_schema = current_schema() AND c.table_name = ANY(${tables}::text[])
    ORDER BY c.table_name, c.ordinal_position`,
  );
  const out = new Map<string, ReleaseColumn[]>();
  for (const r of rows) {
    const list = out.get(r.table_name) ?? [];
    list.push({
      name: r.column_name,
      kind: kindOf(r.table_name, r.column_name, r.data_type),
      nullable: r.is_nullable === 'YES',
      primaryKey: r.pk,
      references: r.ref,
    });
    out.set(r.table_name, list);
  }
  return out;
}

/** Tables that exist now (optional ones another module adds, such as `cell_class` or `dynamics`). */
export async function existingTables(em: Em, tables: string[]): Promise<Set<string>> {
  const rows = await query<{ table_name: string }>(
    em,
    sql`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ANY(${tables}::text[])`,
  );
  return new Set(rows.map((r) => r.table_name));
}
