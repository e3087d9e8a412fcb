import type { Em } from '../../src/db/orm.js';
import { query, sql } from '../../src/db/sql.js';

export interface TableDigest {
  rows: number;
  digest: string;
}

/** Bookkeeping tables: not results. */
const NOT_RESULTS = new Set([
  'pipeline_job',
  'pipeline_plan',
  'pipeline_lock',
  'pipeline_module',
  'pipeline_job_log',
  'mikro_orm_migrations',
]);

/**
 * A content digest of every results table that does not depend on surrogate keys: integer `id`
 * and `*_id` columns are left out (they differ between runs), everything else is hashed row by
 * row and the row hashes are combined in sorted order. Equal digests and counts mean the same
 * results; extra rows mean duplicates, missing rows mean loss.
 */
export async function digestResults(em: Em): Promise<Record<string, TableDigest>> {
  const columns = await query<{ table_name: string; column_name: string; data_type: string }>(
    em,
    sql`
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const c of columns) {
    if (NOT_RESULTS.has(c.table_name)) continue;
    const surrogate =
      ['integer', 'bigint'].includes(c.data_type) && (c.column_name === 'id' || c.column_name.endsWith('_id'));
    if (!surrogate) tables.set(c.table_name, [...(tables.get(c.table_name) ?? []), c.column_name]);
  }
  const result: Record<string, TableDigest> = {};
  for (const [table, cols] of [...tables].sort()) {
    const row = sql`md5(row(${sql.join(cols.map((c) => sql.ref(c)))})::text)`;
    const [d] = await query<{ rows: string; digest: string | null }>(
      em,
      sql`
      SELECT count(*) AS rows, md5(string_agg(h, '' ORDER BY h)) AS digest
      FROM (SELECT ${row} AS h FROM ${sql.id(table)}) t`,
    );
    result[table] = { rows: Number(d.rows), digest: d.digest ?? '' };
  }
  return result;
}

export interface DigestComparison {
  lost: number;
  duplicated: number;
  /** Tables whose rows differ although their counts agree. */
  changed: string[];
}

export function compareDigests(
  clean: Record<string, TableDigest>,
  faulted: Record<string, TableDigest>,
): DigestComparison {
  let lost = 0;
  let duplicated = 0;
  const changed: string[] = [];
  for (const table of new Set([...Object.keys(clean), ...Object.keys(faulted)])) {
    const a = clean[table] ?? { rows: 0, digest: '' };
    const b = faulted[table] ?? { rows: 0, digest: '' };
    if (b.rows < a.rows) lost += a.rows - b.rows;
    else if (b.rows > a.rows) duplicated += b.rows - a.rows;
    else if (a.digest !== b.digest) changed.push(table);
  }
  return { lost, duplicated, changed };
}
