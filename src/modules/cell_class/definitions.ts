import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { ConfigError } from '../../errors/index.js';

/** One class: its name, the sign of its output synapses and criteria over the cell's columns (any of each list). */
export interface CellClassDefinition {
  name: string;
  synapseType: 'ex' | 'in' | null;
  creType?: string[];
  targetLayer?: string[];
  morphology?: string[];
  cellLabels?: Record<string, string[]>;
}

/** The defaults shipped with mpctl (the repository's config/cell-classes.yml). */
export const SHIPPED_CELL_CLASSES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../config/cell-classes.yml',
);

/** The file in force: MPCTL_CELL_CLASSES, else the shipped defaults. */
export const cellClassesFile = (env: NodeJS.ProcessEnv = process.env) => env.MPCTL_CELL_CLASSES || SHIPPED_CELL_CLASSES;

const CRITERIA = { cre_type: 'creType', target_layer: 'targetLayer', morphology: 'morphology' } as const;
const LABEL_MARKS = new Set(['+', '-', 'x', '?']);
const KEYS = new Set(['name', 'synapse_type', 'cell_labels', ...Object.keys(CRITERIA)]);

export function readCellClasses(file = cellClassesFile()): CellClassDefinition[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read cell classes (${(error as Error).message})`);
  }
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not YAML: ${(error as Error).message}`);
  }
  return parseCellClasses(file, data);
}

/** Validates the `classes` list; every problem names the file and the key. */
export function parseCellClasses(file: string, data: unknown): CellClassDefinition[] {
  const fail = (key: string, problem: string): never => {
    throw new ConfigError(`${file}: ${key} ${problem}`);
  };
  const list = (data as { classes?: unknown } | null)?.classes;
  if (!Array.isArray(list) || list.length === 0) fail('classes', 'must be a non-empty list of classes');
  const names = new Set<string>();
  return (list as unknown[]).map((entry, i) => {
    const at = `classes[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail(at, 'must be a mapping');
    const raw = entry as Record<string, unknown>;
    for (const key of Object.keys(raw))
      if (!KEYS.has(key)) fail(`${at}.${key}`, `is not a criterion (${[...KEYS].join(', ')})`);
    if (typeof raw.name !== 'string' || !raw.name.trim()) fail(`${at}.name`, 'must be a non-empty text');
    const name = (raw.name as string).trim();
    if (name.length > 64) fail(`${at}.name`, 'must be at most 64 characters');
    if (names.has(name)) fail(`${at}.name`, `"${name}" is defined twice`);
    names.add(name);
    const synapseType = raw.synapse_type ?? null;
    if (synapseType !== null && synapseType !== 'ex' && synapseType !== 'in')
      fail(`${at}.synapse_type`, `must be ex or in, got ${JSON.stringify(synapseType)}`);
    const definition: CellClassDefinition = { name, synapseType: synapseType as 'ex' | 'in' | null };
    for (const [key, field] of Object.entries(CRITERIA)) {
      if (raw[key] === undefined) continue;
      definition[field] = values(raw[key], `${at}.${key}`, fail);
    }
    if (raw.cell_labels !== undefined) {
      const labels = raw.cell_labels;
      if (labels === null || typeof labels !== 'object' || Array.isArray(labels))
        fail(`${at}.cell_labels`, 'must be a mapping of label to mark');
      definition.cellLabels = Object.fromEntries(
        Object.entries(labels as Record<string, unknown>).map(([label, mark]) => {
          const marks = values(mark, `${at}.cell_labels.${label}`, fail);
          const bad = marks.find((m) => !LABEL_MARKS.has(m));
          if (bad !== undefined)
            fail(`${at}.cell_labels.${label}`, `must be one of + - x ?, got ${JSON.stringify(bad)}`);
          return [label, marks];
        }),
      );
    }
    const criteria = ['creType', 'targetLayer', 'morphology', 'cellLabels'] as const;
    if (!criteria.some((c) => definition[c] !== undefined))
      fail(at, `("${name}") needs at least one criterion (cre_type, target_layer, morphology, cell_labels)`);
    return definition;
  });
}

function values(value: unknown, key: string, fail: (key: string, problem: string) => never): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail(key, 'must not be an empty list');
  return list.map((v) => {
    if (typeof v !== 'string' && typeof v !== 'number')
      fail(key, `must be text or a list of texts, got ${JSON.stringify(v)}`);
    return String(v);
  });
}
