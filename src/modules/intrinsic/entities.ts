// The tables this module owns; a module may reference the entities of the modules it depends on.
import { defineEntity, p } from '@mikro-orm/core';
import { Cell, Experiment } from '../experiment/entities.js';

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
