import { defineEntity, p } from '@mikro-orm/core';
import { Electrode } from './electrode.js';
import { Experiment } from './experiment.js';

/** A patched cell. Owned by `experiment`. */
export const CellSchema = defineEntity({
  name: 'Cell',
  tableName: 'cell',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    electrode: () => p.manyToOne(Electrode).index(),
    extId: p.string().length(16),
    creType: p.string().length(64).nullable(),
    labels: p.json<Record<string, string>>().nullable(),
    targetLayer: p.string().length(16).nullable(),
    positionUm: p.json<[number, number, number]>().nullable(),
    depthUm: p.double().nullable(),
    qc: p.json<Record<string, boolean>>().nullable(),
  },
});

export class Cell extends CellSchema.class {}
CellSchema.setClass(Cell);
