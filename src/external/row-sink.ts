import type { Em } from '../db/orm.js';
import { bulkInsert, query, sql, type InsertColumn } from '../db/sql.js';
import { BadOutputError } from '../errors/index.js';
import { INSERT_TYPE, quoteValue, toColumnValue } from './column-values.js';
import type { ModuleManifest, TableDeclaration } from './manifest.js';
import type { ReferenceTable } from './manifest-schema.js';

/** Rows held per table before they go to the database in one statement. */
const BATCH = 2_000;

/**
 * Checks every row an external module prints against its declared tables and writes them in
 * batches inside the job's transaction, so a bad row anywhere means nothing is committed.
 */
export class RowSink {
  private readonly pending = new Map<string, Record<string, unknown>[]>();
  private readonly counts = new Map<string, number>();
  private readonly columns = new Map<string, InsertColumn[]>();
  private readonly ownIds = new Map<ReferenceTable, Promise<Set<string>>>();

  constructor(
    private readonly em: Em,
    private readonly manifest: ModuleManifest,
    private readonly experimentId: string,
  ) {
    for (const [table, declaration] of Object.entries(manifest.tables)) {
      this.columns.set(table, [
        { name: 'experiment_id', type: 'text' },
        ...Object.entries(declaration.columns).map(([name, c]) => ({ name, type: INSERT_TYPE[c.type] })),
      ]);
      this.counts.set(table, 0);
    }
  }

  /** Takes one `{"table", "row"}` line; throws BadOutputError naming table, row, column and value. */
  async add(line: { table: unknown; row?: unknown }): Promise<void> {
    const table = line.table;
    const declaration = typeof table === 'string' ? this.manifest.tables[table] : undefined;
    if (!declaration) {
      const known = Object.keys(this.manifest.tables).join(', ') || 'none';
      throw new BadOutputError(
        `${this.manifest.name}: row for unknown table ${quoteValue(table)} (its tables: ${known})`,
      );
    }
    const number = this.counts.get(table as string)! + 1;
    this.counts.set(table as string, number);
    const at = `${this.manifest.name}: table ${table as string}, row ${number}`;
    if (line.row === null || typeof line.row !== 'object' || Array.isArray(line.row)) {
      throw new BadOutputError(`${at}: "row" must be an object of column values, got ${quoteValue(line.row)}`);
    }
    const row = await this.checkRow(at, declaration, line.row as Record<string, unknown>);
    const batch = this.pending.get(table as string) ?? [];
    batch.push(row);
    this.pending.set(table as string, batch);
    if (batch.length >= BATCH) await this.flush(table as string);
  }

  private async checkRow(
    at: string,
    declaration: TableDeclaration,
    row: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = { experiment_id: this.experimentId };
    for (const key of Object.keys(row)) {
      if (!(key in declaration.columns)) {
        throw new BadOutputError(
          `${at}: unknown column ${quoteValue(key)} (declared: ${Object.keys(declaration.columns).join(', ')})`,
        );
      }
    }
    for (const [name, column] of Object.entries(declaration.columns)) {
      const value = row[name];
      if (value === undefined || value === null) {
        if (column.required)
          throw new BadOutputError(`${at}: column ${name} is required, got ${value === null ? 'null' : 'nothing'}`);
        out[name] = null;
        continue;
      }
      const checked = toColumnValue(column.type, value);
      if ('problem' in checked) {
        throw new BadOutputError(
          `${at}: column ${name} (${column.type}): ${checked.problem}, got ${quoteValue(value)}`,
        );
      }
      if (column.references && !(await this.belongsHere(column.references, checked.value))) {
        throw new BadOutputError(
          `${at}: column ${name} references ${column.references} ${quoteValue(value)}, which is not one of experiment ${this.experimentId}'s`,
        );
      }
      out[name] = checked.value;
    }
    return out;
  }

  /** A referenced row must belong to this job's experiment, so dropping another experiment never trips over it. */
  private async belongsHere(table: ReferenceTable, id: unknown): Promise<boolean> {
    if (table === 'experiment') return id === this.experimentId;
    let ids = this.ownIds.get(table);
    if (!ids) {
      const statement =
        table === 'cell'
          ? sql`SELECT id::text FROM cell WHERE experiment_id = ${this.experimentId}`
          : sql`SELECT id::text FROM pair WHERE experiment_id = ${this.experimentId}`;
      ids = query<{ id: string }>(this.em, statement).then((rows) => new Set(rows.map((r) => r.id)));
      this.ownIds.set(table, ids);
    }
    return (await ids).has(String(id));
  }

  private async flush(table: string): Promise<void> {
    const rows = this.pending.get(table);
    if (!rows?.length) return;
    this.pending.set(table, []);
    await bulkInsert(this.em, table, this.columns.get(table)!, rows);
  }

  /** Writes what is still held; returns rows per table. */
  async finish(): Promise<Record<string, number>> {
    for (const table of this.pending.keys()) await this.flush(table);
    return Object.fromEntries(this.counts);
  }
}
