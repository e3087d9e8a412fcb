// The tables this module owns; a module may reference the entities of the modules it depends on.
import { defineEntity, p } from '@mikro-orm/core';
import { Cell, Experiment } from '../experiment/entities.js';

/** One row per (cell, class) the cell belongs to. Owned by `cell_class`. */
export const CellClassSchema = defineEntity({
  name: 'CellClass',
  tableName: 'cell_class',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    cell: () => p.manyToOne(Cell).index(),
    className: p.string().length(64),
  },
  uniques: [{ properties: ['cell', 'className'] }],
});

export class CellClass extends CellClassSchema.class {}
CellClassSchema.setClass(CellClass);
