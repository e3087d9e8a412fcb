import { defineEntity, p } from '@mikro-orm/core';
import { Cell } from './cell.js';
import { Electrode } from './electrode.js';
import { Experiment } from './experiment.js';

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
    /** Float mode of quiet time (V). */
    baselinePotential: p.double().nullable(),
    noiseSd: p.double().nullable(),
    qcPass: p.boolean(),
    qcReasons: p.json<string[]>(),
    /** Test-pulse fit, when the sweep has one (Ω, s, V). */
    tpInputResistance: p.double().nullable(),
    tpTau: p.double().nullable(),
    tpBaseline: p.double().nullable(),
  },
  uniques: [{ properties: ['electrode', 'sweepNumber'] }],
});

export class Recording extends RecordingSchema.class {}
RecordingSchema.setClass(Recording);
