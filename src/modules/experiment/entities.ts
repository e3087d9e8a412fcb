// The tables this module owns; a module may reference the entities of the modules it depends on.
import { defineEntity, p } from '@mikro-orm/core';
import { Slice } from '../slice/entities.js';

/** One recording site (site_<n> folder): the unit most modules work on. Owned by `experiment`. */
export const ExperimentSchema = defineEntity({
  name: 'Experiment',
  tableName: 'experiment',
  properties: {
    id: p.string().length(512).primary(),
    slice: () => p.manyToOne(Slice).index(),
    storagePath: p.text(),
    acqTimestamp: p.double().nullable(),
    date: p.string().length(40).nullable(),
    targetRegion: p.string().length(64).nullable(),
    targetTemperatureC: p.double().nullable(),
    rigName: p.string().length(64).nullable(),
    operatorName: p.string().length(128).nullable(),
    internal: p.string().length(128).nullable(),
    acsf: p.string().length(128).nullable(),
    ephysFile: p.text().nullable(),
    meta: p.json<Record<string, unknown>>().nullable(),
  },
});

export class Experiment extends ExperimentSchema.class {}
ExperimentSchema.setClass(Experiment);

/** One pipette of a site, as pipettes.yml describes it. Owned by `experiment`. */
export const ElectrodeSchema = defineEntity({
  name: 'Electrode',
  tableName: 'electrode',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    extId: p.string().length(16),
    deviceId: p.integer(),
    patchStatus: p.string().length(64).nullable(),
    gotData: p.boolean(),
    startTime: p.string().length(40).nullable(),
    stopTime: p.string().length(40).nullable(),
  },
});

export class Electrode extends ElectrodeSchema.class {}
ElectrodeSchema.setClass(Electrode);

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
    morphology: p.string().length(64).nullable(),
    positionUm: p.json<[number, number, number]>().nullable(),
    depthUm: p.double().nullable(),
    qc: p.json<Record<string, boolean>>().nullable(),
  },
});

export class Cell extends CellSchema.class {}
CellSchema.setClass(Cell);

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
