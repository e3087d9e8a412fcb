import { defineEntity, p } from '@mikro-orm/core';
import { Slice } from './slice.js';

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
