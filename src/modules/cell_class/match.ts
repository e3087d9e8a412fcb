import type { CellClassDefinition } from './definitions.js';

/** The cell columns classes are defined over. */
export interface ClassifiableCell {
  creType: string | null;
  targetLayer: string | null;
  morphology: string | null;
  labels: Record<string, string> | null;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const anyOf = (allowed: string[] | undefined, value: string | null) =>
  allowed === undefined || (value !== null && allowed.some((v) => same(v, value)));

/** A cell is in a class when every criterion the class gives holds (a missing value never matches). */
export function matchesClass(cell: ClassifiableCell, definition: CellClassDefinition): boolean {
  if (!anyOf(definition.creType, cell.creType)) return false;
  if (!anyOf(definition.targetLayer, cell.targetLayer)) return false;
  if (!anyOf(definition.morphology, cell.morphology)) return false;
  for (const [label, marks] of Object.entries(definition.cellLabels ?? {})) {
    const mark = Object.entries(cell.labels ?? {}).find(([l]) => same(l, label))?.[1] ?? null;
    if (mark === null || !marks.includes(mark)) return false;
  }
  return true;
}

/** The names of every class the cell is in, in definition order. */
export const classesOf = (cell: ClassifiableCell, definitions: CellClassDefinition[]) =>
  definitions.filter((d) => matchesClass(cell, d)).map((d) => d.name);
