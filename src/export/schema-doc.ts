import { isExternal } from '../external/external-module.js';
import type { ModuleRegistry } from '../modules/registry.js';
import type { ReleaseTable } from './columns.js';
import { COLUMN_DOCS } from './column-docs.js';
import { PAIRS_DOCS } from './pairs.js';

const KIND_NAMES = {
  int: 'int32',
  bigint: 'int64',
  float: 'float64',
  text: 'string',
  json: 'string (JSON)',
  timestamp: 'string (ISO 8601)',
  bool: 'bool',
  bytes: 'binary',
} as const;

/** Column meanings an external module states in its module.yml (`description`, `unit`), per table. */
export type DeclaredDocs = Record<string, { table?: string; columns: Record<string, string> }>;

export function declaredDocs(registry: ModuleRegistry): DeclaredDocs {
  const docs: DeclaredDocs = {};
  for (const module of registry.ordered) {
    if (!isExternal(module)) continue;
    for (const [table, declaration] of Object.entries(module.manifest.tables)) {
      const columns: Record<string, string> = {};
      for (const [name, c] of Object.entries(declaration.columns)) {
        const text = [c.description, c.unit ? `(${c.unit})` : ''].filter(Boolean).join(' ');
        if (text) columns[name] = text;
      }
      columns.experiment_id ??= 'the experiment the row belongs to';
      docs[table] = {
        table: `${declaration.description ? `${declaration.description} ` : ''}(module \`${module.name}\` v${module.version})`,
        columns,
      };
    }
  }
  return docs;
}

/** What one column means: its documented meaning, else what its key says. */
export function describeColumn(
  table: string,
  column: ReleaseTable['columns'][number],
  declared: DeclaredDocs = {},
): string {
  const doc =
    table === 'pairs'
      ? PAIRS_DOCS[column.name]
      : (COLUMN_DOCS[table]?.[column.name] ?? declared[table]?.columns[column.name]);
  const key = [column.primaryKey ? 'primary key' : '', column.references ? `→ ${column.references}` : '']
    .filter(Boolean)
    .join(', ');
  if (doc) return key ? `${doc} (${key})` : doc;
  if (key) return key;
  if (column.name.startsWith('dynamics_'))
    return `\`dynamics.${column.name.slice('dynamics_'.length)}\` (see that module)`;
  if (/^(pre|post)_class/.test(column.name)) return 'cell class names from `cell_class`, joined with ","';
  return 'undocumented (a column of a module this release does not describe)';
}

/** SCHEMA.md: every table and column with type, units and keys, the sample encoding and the pandas lines. */
export function schemaMarkdown(tables: ReleaseTable[], format: string, declared: DeclaredDocs = {}): string {
  const ext = format === 'sqlite' ? 'sqlite' : format;
  const out = [
    '# Release schema',
    '',
    'Units are SI (V, A, s, Ω, Hz) unless a column name says otherwise (`_um` µm, `_c` °C).',
    "Keys: `id` is each table's primary key; `<table>_id` columns reference that table's `id`.",
    '',
    '## Sample arrays',
    '',
    'Binary columns (`data`, `fit_data`) hold samples as **little-endian IEEE-754 float32**, 4 bytes per',
    'sample, in time order, nothing else (no header): `n = len(bytes) / 4`. In CSV they are the base64 of',
    'those bytes. Sample `i` is at:',
    '',
    '- `pulse_response`: `(window_start + i) / sample_rate` s from sweep start (`window_start` is a sample index);',
    '- `baseline`: `(start_index + i) / sample_rate`;',
    '- `average_response`: `window_start + i / sample_rate` (`window_start` in seconds).',
    '',
    '```python',
    'import numpy as np, pandas as pd',
    format === 'sqlite'
      ? "import sqlite3\ndb = sqlite3.connect('release.sqlite')\npairs = pd.read_sql('SELECT * FROM pairs', db)\navg = pd.read_sql('SELECT * FROM average_response', db)"
      : format === 'csv'
        ? "import base64\npairs = pd.read_csv('pairs.csv')\navg = pd.read_csv('average_response.csv')\navg['data'] = avg['data'].map(base64.b64decode)"
        : "pairs = pd.read_parquet('pairs.parquet')\navg = pd.read_parquet('average_response.parquet')",
    'row = avg.iloc[0]',
    "v = np.frombuffer(row['data'], dtype='<f4')",
    "t = row['window_start'] + np.arange(v.size) / row['sample_rate']",
    '```',
    '',
  ];
  for (const t of tables) {
    out.push(`## \`${t.name}\` (${t.rows} rows${ext === 'sqlite' ? '' : `, \`${t.name}.${ext}\``})`, '');
    if (declared[t.name]?.table) out.push(declared[t.name]!.table!, '');
    out.push('| column | type | null | meaning |', '|---|---|---|---|');
    for (const c of t.columns)
      out.push(
        `| \`${c.name}\` | ${KIND_NAMES[c.kind]} | ${c.nullable ? 'yes' : 'no'} | ${describeColumn(t.name, c, declared)} |`,
      );
    out.push('');
  }
  return out.join('\n');
}
