import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import ms from 'ms';
import YAML from 'yaml';
import { ConfigError } from '../errors/index.js';
import { manifestSchema, type ColumnTypeName, type ReferenceTable } from './manifest-schema.js';

export const MANIFEST_FILE = 'module.yml';
const DEFAULT_TIMEOUT_MS = 3_600_000;

export interface ColumnDeclaration {
  type: ColumnTypeName;
  required: boolean;
  references?: ReferenceTable;
  unit?: string;
  description?: string;
}

export interface TableDeclaration {
  description?: string;
  columns: Record<string, ColumnDeclaration>;
}

/** A module.yml, checked and normalised (docs/modules.md). */
export interface ModuleManifest {
  file: string;
  dir: string;
  name: string;
  version: string;
  description?: string;
  dependencies: string[];
  command: string[];
  params: Record<string, unknown>;
  tables: Record<string, TableDeclaration>;
  taskQueue?: string;
  timeoutMs: number;
  memoryBytes?: number;
  inputs: string[];
  env: Record<string, string>;
  /** Absolute path of the pinned requirements file of a Python environment. */
  pythonRequirements?: string;
  /** Hash of the normalised table declarations: a change without a version bump is an error. */
  tablesHash: string;
}

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validate = ajv.compile(manifestSchema);

/** Reads and checks one module.yml; any problem is a ConfigError naming the file and the key. */
export function readManifest(file: string): ModuleManifest {
  const fail = (key: string, problem: string) => new ConfigError(`${file}: ${key ? `${key}: ` : ''}${problem}`);
  let data: unknown;
  try {
    const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) throw doc.errors[0];
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw fail('', `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!validate(data)) throw fail(...describe(validate.errors![0]!));
  const raw = data as Record<string, unknown> & { name: string; version: string | number; command: string | string[] };
  const dir = path.dirname(file);
  const tables = normaliseTables(
    raw.tables as Record<string, { description?: string; columns: Record<string, unknown> }>,
    fail,
  );
  const timeoutMs = raw.timeout === undefined ? DEFAULT_TIMEOUT_MS : ms(raw.timeout as ms.StringValue);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw fail('timeout', `"${raw.timeout}" is not a duration like 90s, 30m or 2h`);
  const python = raw.python as { requirements: string } | undefined;
  const pythonRequirements = python ? path.resolve(dir, python.requirements) : undefined;
  if (pythonRequirements && !fs.existsSync(pythonRequirements)) {
    throw fail('python.requirements', `${python!.requirements} does not exist in the module folder`);
  }
  return {
    file,
    dir,
    name: raw.name,
    version: String(raw.version),
    description: raw.description as string | undefined,
    dependencies: (raw.dependencies as string[] | undefined) ?? [],
    command: typeof raw.command === 'string' ? ['/bin/sh', '-c', raw.command] : raw.command,
    params: (raw.params as Record<string, unknown> | undefined) ?? {},
    tables,
    taskQueue: raw.taskQueue as string | undefined,
    timeoutMs,
    memoryBytes: raw.memory === undefined ? undefined : parseBytes(raw.memory as string),
    inputs: (raw.inputs as string[] | undefined) ?? [],
    env: Object.fromEntries(
      Object.entries((raw.env as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k, String(v)]),
    ),
    pythonRequirements,
    tablesHash: schemaHash(tables),
  };
}

/**
 * Hash of what the database holds of a declaration: tables, columns, types, required and
 * references. Descriptions and units are documentation: editing them needs no version bump.
 */
export function schemaHash(tables: Record<string, TableDeclaration>): string {
  // Sorted by name: a record read back from jsonb has its keys in jsonb's order, not the file's.
  const byName = <T>(o: Record<string, T>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const shape = byName(tables).map(([table, declaration]) => [
    table,
    byName(declaration.columns).map(([name, c]) => [name, c.type, c.required, c.references ?? null]),
  ]);
  return crypto.createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}

function normaliseTables(
  tables: Record<string, { description?: string; columns: Record<string, unknown> }> | undefined,
  fail: (key: string, problem: string) => ConfigError,
): Record<string, TableDeclaration> {
  const out: Record<string, TableDeclaration> = {};
  for (const [table, declaration] of Object.entries(tables ?? {})) {
    const columns: Record<string, ColumnDeclaration> = {};
    for (const [name, spec] of Object.entries(declaration.columns)) {
      const full = (typeof spec === 'string' ? { type: spec } : spec) as Omit<ColumnDeclaration, 'required'> & {
        required?: boolean;
      };
      const column: ColumnDeclaration = {
        ...full,
        type: full.type as ColumnTypeName,
        required: full.required ?? false,
      };
      const key = `tables.${table}.columns.${name}`;
      if (column.references === 'experiment' && column.type !== 'text')
        throw fail(key, 'references experiment, so its type is text');
      if (column.references && column.references !== 'experiment' && column.type !== 'integer') {
        throw fail(key, `references ${column.references}, so its type is integer`);
      }
      columns[name] = column;
    }
    out[table] = { ...(declaration.description ? { description: declaration.description } : {}), columns };
  }
  return out;
}

/** `512Mi`, `4Gi`, `1.5G`, `1048576` → bytes (Kubernetes quantities: Ki/Mi/Gi binary, K/M/G decimal). */
export function parseBytes(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(text)!;
  const unit =
    { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[match[2] ?? ''] ?? 1;
  return Math.round(Number(match[1]) * unit);
}

/** Ajv's first error as (key, problem), the key in the manifest's own dotted terms. */
function describe(error: ErrorObject): [string, string] {
  const at = error.instancePath.slice(1).split('/').filter(Boolean).join('.');
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return [at ? `${at}.${String(params.missingProperty)}` : String(params.missingProperty), 'is required'];
    case 'additionalProperties':
      return [
        at ? `${at}.${String(params.additionalProperty)}` : String(params.additionalProperty),
        'is not a key mpctl knows',
      ];
    case 'propertyNames':
      return [
        `${at}.${String(params.propertyName)}`,
        'is not an allowed name (lowercase letters, digits and _, not id or experiment_id)',
      ];
    case 'enum':
      return [at, `must be one of ${(params.allowedValues as string[]).join(', ')}`];
    case 'oneOf':
      return [
        at,
        at.includes('columns.')
          ? `is not a column type (${(manifestSchema.properties.tables.additionalProperties.properties.columns.additionalProperties.oneOf[0].enum as readonly string[]).join(', ')}, or a mapping with type)`
          : 'has the wrong form',
      ];
    default:
      return [at, error.message ?? 'is not valid'];
  }
}
