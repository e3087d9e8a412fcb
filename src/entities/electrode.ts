import { defineEntity, p } from '@mikro-orm/core';
import { Experiment } from './experiment.js';

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
