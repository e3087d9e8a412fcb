import { defineEntity, p } from '@mikro-orm/core';
import { Experiment } from './experiment.js';
import { Recording } from './recording.js';

/** A square stimulus pulse on a presynaptic recording and the spike it evoked. Owned by `dataset`. */
export const StimPulseSchema = defineEntity({
  name: 'StimPulse',
  tableName: 'stim_pulse',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    recording: () => p.manyToOne(Recording).index(),
    pulseNumber: p.integer(),
    /** Onset as a sample index and in seconds from sweep start. */
    onsetIndex: p.integer(),
    onsetTime: p.double(),
    amplitude: p.double(),
    duration: p.double(),
    nSpikes: p.integer(),
    /** Max-slope time of the evoked spike (s from sweep start): where responses are aligned. */
    spikeTime: p.double().nullable(),
    spikeOnsetTime: p.double().nullable(),
    spikePeak: p.double().nullable(),
    /** Seconds since the previous pulse of the train; null for the first. */
    previousPulseDt: p.double().nullable(),
  },
});

export class StimPulse extends StimPulseSchema.class {}
StimPulseSchema.setClass(StimPulse);
