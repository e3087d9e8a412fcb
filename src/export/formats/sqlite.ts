import Database from 'better-sqlite3';
import type { ColumnKind, ReleaseColumn, ReleaseTable } from '../columns.js';

const AFFINITY: Record<ColumnKind, string> = {
  int: 'INTEGER',
  bigint: 'INTEGER',
  float: 'REAL',
  text: 'TEXT',
  json: 'TEXT',
  timestamp: 'TEXT',
  bool: 'INTEGER',
  bytes: 'BLOB',
};

function columnDef(c: ReleaseColumn): string {
  const [refTable, refColumn] = c.references?.split('.') ?? [];
  return [
    `"${c.name}" ${AFFINITY[c.kind]}`,
    c.primaryKey ? 'PRIMARY KEY' : '',
    c.nullable || c.primaryKey ? '' : 'NOT NULL',
    refTable ? `REFERENCES "${refTable}"("${refColumn}")` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

const toSqlite = (c: ReleaseColumn, v: unknown) =>
  v === null || v === undefined ? null : c.kind === 'bool' ? (v ? 1 : 0) : v;

/** Every table into one SQLite file, with primary and foreign keys declared, in one transaction. */
export function writeSqlite(tables: ReleaseTable[], file: string): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.transaction(() => {
      for (const t of tables) {
        db.exec(`CREATE TABLE "${t.name}" (${t.columns.map(columnDef).join(', ')})`);
        const insert = db.prepare(`INSERT INTO "${t.name}" VALUES (${t.columns.map(() => '?').join(', ')})`);
        for (let r = 0; r < t.rows; r++) insert.run(t.columns.map((c, i) => toSqlite(c, t.values[i]![r])));
      }
    })();
  } finally {
    db.close();
  }
}
