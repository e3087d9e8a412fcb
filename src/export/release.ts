import fs from 'node:fs';
import path from 'node:path';
import { statusCounts } from '../bookkeeping/job-records.js';
import type { Orm } from '../db/orm.js';
import { ConfigError } from '../errors/index.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { tableColumns, type ReleaseTable } from './columns.js';
import { writeCsv } from './formats/csv.js';
import { writeParquet } from './formats/parquet.js';
import { writeSqlite } from './formats/sqlite.js';
import { pairsTable } from './pairs.js';
import { readTable, type ExperimentFilter } from './read-table.js';
import { declaredDocs, schemaMarkdown } from './schema-doc.js';

export const EXPORT_FORMATS = ['parquet', 'csv', 'sqlite'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const SQLITE_FILE = 'release.sqlite';

export interface ExportOptions {
  format: ExportFormat;
  out: string;
  /** Only these tables (`pairs` included); default every results table and `pairs`. */
  tables?: string[];
  experiments?: string[];
  mpctlVersion: string;
  progress?: (line: string) => void;
}

export interface ExportManifest {
  mpctl: string;
  createdAt: string;
  format: ExportFormat;
  experiments: string[] | null;
  modules: { name: string; version: string; tables: string[] }[];
  jobs: Record<string, Record<string, number>>;
  tables: { name: string; rows: number; columns: number; file: string }[];
}

export interface ExportResult {
  out: string;
  format: ExportFormat;
  tables: ExportManifest['tables'];
  bytes: number;
  durationMs: number;
}

/** The release's tables: every module's tables plus `pairs`, or the named subset (unknown names are usage errors). */
function chooseTables(registry: ModuleRegistry, only?: string[]): string[] {
  const all = [...registry.ordered.flatMap((m) => m.tables), 'pairs'];
  if (!only?.length) return all;
  const unknown = only.filter((t) => !all.includes(t));
  if (unknown.length) throw new ConfigError(`--tables: unknown table ${unknown.join(', ')}; known: ${all.join(', ')}`);
  return all.filter((t) => only.includes(t));
}

/**
 * Writes a release into `out` (which must not exist or be empty): one file per table (or one
 * SQLite file), SCHEMA.md and manifest.json. It is written beside `out` and renamed into
 * place, so a failure leaves nothing partial.
 */
export async function exportRelease(orm: Orm, registry: ModuleRegistry, o: ExportOptions): Promise<ExportResult> {
  const started = Date.now();
  const out = path.resolve(o.out);
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length))
    throw new ConfigError(`--out ${o.out}: exists and is not an empty folder; choose a new one`);
  const names = chooseTables(registry, o.tables);
  const filter: ExperimentFilter = o.experiments?.length ? o.experiments : null;
  const em = orm.em.fork();
  if (filter) {
    const known = await readTable(
      em,
      'experiment',
      [{ name: 'id', kind: 'text', nullable: false, primaryKey: true, references: null }],
      filter,
    );
    const missing = filter.filter((e) => !known.values[0]!.includes(e));
    if (missing.length) throw new ConfigError(`--experiment: no experiment ${missing.join(', ')}`);
  }
  const columns = await tableColumns(em, names);
  const tables: ReleaseTable[] = [];
  for (const name of names) {
    o.progress?.(`reading ${name}`);
    tables.push(
      name === 'pairs' ? await pairsTable(em, filter) : await readTable(em, name, columns.get(name) ?? [], filter),
    );
  }
  const tmp = `${out}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const files = new Map<string, string>();
    if (o.format === 'sqlite') {
      o.progress?.(`writing ${SQLITE_FILE}`);
      writeSqlite(tables, path.join(tmp, SQLITE_FILE));
      for (const t of tables) files.set(t.name, SQLITE_FILE);
    } else {
      for (const t of tables) {
        const file = `${t.name}.${o.format}`;
        o.progress?.(`writing ${file} (${t.rows} rows)`);
        (o.format === 'parquet' ? writeParquet : writeCsv)(t, path.join(tmp, file));
        files.set(t.name, file);
      }
    }
    const manifest: ExportManifest = {
      mpctl: o.mpctlVersion,
      createdAt: new Date().toISOString(),
      format: o.format,
      experiments: filter,
      modules: registry.ordered.map((m) => ({ name: m.name, version: m.version, tables: m.tables })),
      jobs: jobCounts(await statusCounts(em)),
      tables: tables.map((t) => ({ name: t.name, rows: t.rows, columns: t.columns.length, file: files.get(t.name)! })),
    };
    fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    fs.writeFileSync(path.join(tmp, 'SCHEMA.md'), schemaMarkdown(tables, o.format, declaredDocs(registry)));
    if (fs.existsSync(out)) fs.rmdirSync(out);
    fs.renameSync(tmp, out);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  const bytes = fs.readdirSync(out).reduce((s, f) => s + fs.statSync(path.join(out, f)).size, 0);
  return { out, format: o.format, tables: tableSummary(tables, o.format), bytes, durationMs: Date.now() - started };
}

function tableSummary(tables: ReleaseTable[], format: ExportFormat): ExportManifest['tables'] {
  return tables.map((t) => ({
    name: t.name,
    rows: t.rows,
    columns: t.columns.length,
    file: format === 'sqlite' ? SQLITE_FILE : `${t.name}.${format}`,
  }));
}

function jobCounts(rows: { module: string; status: string; n: number }[]): ExportManifest['jobs'] {
  const out: ExportManifest['jobs'] = {};
  for (const r of rows) (out[r.module] ??= {})[r.status] = r.n;
  return out;
}
