// The tables this module owns; a module may reference the entities of the modules it depends on.
import { defineEntity, p } from '@mikro-orm/core';
import { Cell, Electrode, Experiment, Pair } from '../experiment/entities.js';

/** One channel of one sweep: clamp mode, recording QC and the test-pulse fit. Owned by `dataset`. */
export const RecordingSchema = defineEntity({
  name: 'Recording',
  tableName: 'recording',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    electrode: () => p.manyToOne(Electrode).index(),
    cell: () => p.manyToOne(Cell).index().nullable(),
    sweepNumber: p.integer(),
    clampMode: p.string().length(8),
    sampleRate: p.double(),
    startTime: p.double(),
    nSamples: p.integer(),
    stimulusDescription: p.text().nullable(),
    /** Float mode of quiet time (V); in voltage clamp the holding command (V). */
    baselinePotential: p.double().nullable(),
    /** Voltage clamp only: float mode of the quiet current (A). */
    baselineCurrent: p.double().nullable(),
    /** Quiet-time noise SD: V in current clamp, A in voltage clamp (see clamp_mode). */
    noiseSd: p.double().nullable(),
    qcPass: p.boolean(),
    qcReasons: p.json<string[]>(),
    /** Test-pulse fit, when the sweep has one (Ω, s, V). */
    tpInputResistance: p.double().nullable(),
    tpTau: p.double().nullable(),
    tpBaseline: p.double().nullable(),
    /** Voltage clamp only: access (series) resistance from the test pulse's transient (Ω). */
    tpAccessResistance: p.double().nullable(),
  },
  uniques: [{ properties: ['electrode', 'sweepNumber'] }],
});

export class Recording extends RecordingSchema.class {}
RecordingSchema.setClass(Recording);

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
    /** Samples as little-endian float32: V in current clamp, A in voltage clamp (the recording's clamp_mode). */
    data: p.blob(),
    exQcPass: p.boolean(),
    inQcPass: p.boolean(),
    qcReasons: p.json<string[]>(),
  },
});

export class PulseResponse extends PulseResponseSchema.class {}
PulseResponseSchema.setClass(PulseResponse);
