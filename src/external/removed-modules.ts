// External modules whose folder has gone while the database still holds their tables: removing a
// folder never deletes data, so status lists them and `mpctl drop NAME` can still remove it.
import { moduleRecords, type ModuleRecord } from '../bookkeeping/module-records.js';
import { statusCounts } from '../bookkeeping/job-records.js';
import type { Em } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import { ConfigError } from '../errors/index.js';
import { ModuleRegistry } from '../modules/registry.js';
import type { PipelineModule } from '../modules/types.js';
import { dropExternalRows } from './external-module.js';

export interface RemovedModule {
  module: string;
  version: string;
  /** The folder it was loaded from. */
  origin: string;
  /** Its job records, all statuses together. */
  jobs: number;
  /** Rows per table it owned; a table already gone is left out. */
  rows: Record<string, number>;
}

/** The module records (pipeline_module) of external modules the registry no longer has. */
export async function removedModuleRecords(em: Em, registry: ModuleRegistry): Promise<ModuleRecord[]> {
  const known = new Set(registry.names);
  return (await moduleRecords(em)).filter((record) => !known.has(record.name));
}

/** Each removed module with what it still holds. */
export async function removedModules(em: Em, registry: ModuleRegistry): Promise<RemovedModule[]> {
  const records = await removedModuleRecords(em, registry);
  if (records.length === 0) return [];
  const counts = await statusCounts(em);
  const out: RemovedModule[] = [];
  for (const record of records) {
    const rows: Record<string, number> = {};
    for (const table of Object.keys(record.tables)) {
      const [exists] = await query<{ name: string | null }>(em, sql`SELECT to_regclass(${table}) AS name`);
      if (!exists?.name) continue;
      const [row] = await query<{ n: string }>(em, sql`SELECT count(*) AS n FROM ${sql.id(table)}`);
      rows[table] = Number(row!.n);
    }
    const jobs = counts.filter((c) => c.module === record.name).reduce((n, c) => n + Number(c.n), 0);
    out.push({ module: record.name, version: record.version, origin: record.origin, jobs, rows });
  }
  return out;
}

/**
 * A module that can only be dropped: its tables from its record, no dependencies (anything that
 * depended on it fails to load without it), and a process that refuses to run.
 */
export function removedModule(record: ModuleRecord, resultsRoot: string): PipelineModule {
  const tables = Object.keys(record.tables);
  return {
    name: record.name,
    version: record.version,
    dependencies: [],
    scope: 'experiment',
    entities: [],
    tables,
    params: {},
    rawInputs: () => [],
    drop: (em, jobIds, options) => dropExternalRows(em, { name: record.name, tables, resultsRoot }, jobIds, options),
    process: () => {
      throw new ConfigError(`module "${record.name}" was removed (its folder ${record.origin} is gone); it only drops`);
    },
  };
}

/**
 * The registry to drop `name` with: the registry itself when it knows the module, else the
 * registry plus the removed module from its record. Unknown everywhere is the registry's error.
 */
export async function registryForDrop(
  em: Em,
  registry: ModuleRegistry,
  name: string,
  resultsRoot: string,
): Promise<{ registry: ModuleRegistry; removed?: ModuleRecord }> {
  if (registry.names.includes(name)) return { registry };
  const record = (await removedModuleRecords(em, registry)).find((r) => r.name === name);
  if (!record) {
    registry.get(name); // throws: an unknown module, with the names it knows
    return { registry };
  }
  return { registry: new ModuleRegistry([...registry.ordered, removedModule(record, resultsRoot)]), removed: record };
}
