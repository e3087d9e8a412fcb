import { defineEntity, p } from '@mikro-orm/core';
import { Experiment } from './experiment.js';
import { Recording } from './recording.js';

/** A quiet background snippet of a recording, matched to responses as their null. Owned by `dataset`. */
export const BaselineSchema = defineEntity({
  name: 'Baseline',
  tableName: 'baseline',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    recording: () => p.manyToOne(Recording).index(),
    /** First sample, as an index into the sweep. */
    startIndex: p.integer(),
    sampleRate: p.double(),
    /** Samples as little-endian float32 (V). */
    data: p.blob(),
    qcPass: p.boolean(),
  },
});

export class Baseline extends BaselineSchema.class {}
BaselineSchema.setClass(Baseline);
