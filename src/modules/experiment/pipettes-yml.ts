import { BadInputError } from '../../errors/index.js';
import { FieldReader } from '../../raw/fields.js';

export interface Pipette {
  id: string;
  adChannel: number;
  status?: string;
  gotData: boolean;
  patchStart?: string;
  patchStop?: string;
  targetLayer?: string;
  /** Dendrite type or shape as the rig noted it (e.g. spiny, aspiny), what cell classes match on. */
  morphology?: string;
  creType?: string;
  labels?: Record<string, string>;
  position?: [number, number, number];
  depthUm?: number;
  qc?: Record<string, boolean>;
  synapseTo: string[];
}

/** Pipette states that still count as a patched cell without recorded data (as in the original pipeline). */
const CELL_WITHOUT_DATA = new Set(['Low seal', 'GOhm seal', 'Not recorded']);
const LABEL_VALUES = new Set(['+', '-', 'x', '?']);
const MAX_CHANNEL = 15;

/** Validates pipettes.yml: a mapping from pipette id to its fields (keys follow the original pipeline). */
export function parsePipettesYml(file: string, data: Record<string, unknown>): Pipette[] {
  const pipettes: Pipette[] = [];
  const channels = new Map<number, string>();
  for (const [id, value] of Object.entries(data)) {
    if (!/^\d{1,3}$/.test(id)) throw new BadInputError(file, `pipette id "${id}" must be a number`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new BadInputError(file, `pipette ${id} must be a mapping of fields`);
    }
    const f = new FieldReader(file, value as Record<string, unknown>, `${id}.`);
    const adChannel = f.integer('ad_channel', true)!;
    if (adChannel < 0 || adChannel > MAX_CHANNEL)
      throw f.fail_('ad_channel', `must be between 0 and ${MAX_CHANNEL}, got ${adChannel}`);
    if (channels.has(adChannel))
      throw new BadInputError(file, `ad_channel ${adChannel} is used by pipettes ${channels.get(adChannel)} and ${id}`);
    channels.set(adChannel, id);
    const labels = f.mapping('cell_labels');
    if (labels) {
      for (const [label, mark] of Object.entries(labels)) {
        if (typeof mark !== 'string' || !LABEL_VALUES.has(mark)) {
          throw f.fail_(`cell_labels.${label}`, `must be one of + - x ?, got ${JSON.stringify(mark)}`);
        }
      }
    }
    const qc = f.mapping('cell_qc');
    const synapseTo = (value as Record<string, unknown>).synapse_to;
    pipettes.push({
      id,
      adChannel,
      status: f.string('pipette_status'),
      gotData: f.boolean('got_data', false)!,
      patchStart: f.string('patch_start'),
      patchStop: f.string('patch_stop'),
      targetLayer: f.string('target_layer'),
      morphology: f.string('morphology'),
      creType: f.string('cre_type'),
      labels: labels as Record<string, string> | undefined,
      position: f.vector3('position'),
      depthUm: f.number('depth'),
      qc: qc ? Object.fromEntries(Object.entries(qc).map(([key, v]) => [key, v === true])) : undefined,
      synapseTo: Array.isArray(synapseTo) ? synapseTo.map(String).filter((s) => !s.endsWith('?')) : [],
    });
  }
  if (pipettes.length === 0) throw new BadInputError(file, 'lists no pipettes');
  return pipettes.sort((a, b) => Number(a.id) - Number(b.id));
}

/** A pipette yields a cell when it recorded data or reached a seal on a cell. */
export const hasCell = (pipette: Pipette) => pipette.gotData || CELL_WITHOUT_DATA.has(pipette.status ?? '');

/** The first positive label stands in for the cell's transgenic type. */
export function creTypeOf(pipette: Pipette): string | undefined {
  if (pipette.creType) return pipette.creType;
  return Object.entries(pipette.labels ?? {}).find(([, mark]) => mark === '+')?.[0];
}

export function distanceUm(a?: [number, number, number], b?: [number, number, number]): number | undefined {
  if (!a || !b) return undefined;
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
