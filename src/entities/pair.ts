import { defineEntity, p } from '@mikro-orm/core';
import { Cell } from './cell.js';
import { Experiment } from './experiment.js';

/** An ordered (pre, post) cell pair of one site. Owned by `experiment`. */
export const PairSchema = defineEntity({
  name: 'Pair',
  tableName: 'pair',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    preCell: () => p.manyToOne(Cell).index(),
    postCell: () => p.manyToOne(Cell).index(),
    distanceUm: p.double().nullable(),
  },
  uniques: [{ properties: ['preCell', 'postCell'] }],
});

export class Pair extends PairSchema.class {}
PairSchema.setClass(Pair);
