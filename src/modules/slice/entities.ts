// The tables this module owns; a module may reference the entities of the modules it depends on.
import { defineEntity, p } from '@mikro-orm/core';

/** One brain slice: a folder with slice.yml under a data root. Owned by the `slice` module. */
export const SliceSchema = defineEntity({
  name: 'Slice',
  tableName: 'slice',
  properties: {
    id: p.string().length(255).primary(),
    dataRoot: p.text(),
    storagePath: p.text(),
    specimenId: p.string().length(255).nullable(),
    species: p.string().length(64).nullable(),
    genotype: p.text().nullable(),
    ageDays: p.integer().nullable(),
    date: p.string().length(32).nullable(),
    quality: p.integer().nullable(),
    hemisphere: p.string().length(16).nullable(),
    thicknessUm: p.double().nullable(),
    project: p.text().nullable(),
    meta: p.json<Record<string, unknown>>().nullable(),
  },
});

export class Slice extends SliceSchema.class {}
SliceSchema.setClass(Slice);
