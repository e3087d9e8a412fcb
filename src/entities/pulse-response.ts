import { defineEntity, p } from '@mikro-orm/core';
import { Baseline } from './baseline.js';
import { Experiment } from './experiment.js';
import { Pair } from './pair.js';
import { Recording } from './recording.js';
import { StimPulse } from './stim-pulse.js';

/** The postsynaptic window around one presynaptic pulse of one pair. Owned by `dataset`. */
export const PulseResponseSchema = defineEntity({
  name: 'PulseResponse',
  tableName: 'pulse_response',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    stimPulse: () => p.manyToOne(StimPulse).index(),
    pair: () => p.manyToOne(Pair).index(),
    recording: () => p.manyToOne(Recording).index(),
    baseline: () => p.manyToOne(Baseline).index().nullable(),
    /** First sample of the window, as an index into the post recording's sweep. */
    windowStart: p.integer(),
    sampleRate: p.double(),
    /** Samples as little-endian float32 (V). */
    data: p.blob(),
    exQcPass: p.boolean(),
    inQcPass: p.boolean(),
    qcReasons: p.json<string[]>(),
  },
});

export class PulseResponse extends PulseResponseSchema.class {}
PulseResponseSchema.setClass(PulseResponse);
