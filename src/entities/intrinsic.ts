import { defineEntity, p } from '@mikro-orm/core';
import { Cell } from './cell.js';
import { Experiment } from './experiment.js';

/** Per-cell passive features, medians over the cell's recordings (SI units). Owned by `intrinsic`. */
export const IntrinsicSchema = defineEntity({
  name: 'Intrinsic',
  tableName: 'intrinsic',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    cell: () => p.manyToOne(Cell).unique(),
    restingPotential: p.double().nullable(),
    inputResistance: p.double().nullable(),
    membraneTau: p.double().nullable(),
    noiseSd: p.double().nullable(),
    nSweeps: p.integer(),
  },
});

export class Intrinsic extends IntrinsicSchema.class {}
IntrinsicSchema.setClass(Intrinsic);
