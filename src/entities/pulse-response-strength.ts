import { defineEntity, p } from '@mikro-orm/core';
import { Experiment } from './experiment.js';
import { PulseResponse } from './pulse-response.js';

/**
 * Measures of one response window and, with the `bg_` prefix, of its matched background
 * snippet measured the same way (V, s after the spike); null where a measure is undefined
 * (e.g. a window cut short). Owned by `pulse_response`.
 */
export const PulseResponseStrengthSchema = defineEntity({
  name: 'PulseResponseStrength',
  tableName: 'pulse_response_strength',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    pulseResponse: () => p.manyToOne(PulseResponse).unique(),
    baseline: p.double().nullable(),
    posAmp: p.double().nullable(),
    negAmp: p.double().nullable(),
    posLatency: p.double().nullable(),
    negLatency: p.double().nullable(),
    decPosAmp: p.double().nullable(),
    decNegAmp: p.double().nullable(),
    decMeanAmp: p.double().nullable(),
    templateAmp: p.double().nullable(),
    crosstalk: p.double().nullable(),
    bgBaseline: p.double().nullable(),
    bgPosAmp: p.double().nullable(),
    bgNegAmp: p.double().nullable(),
    bgPosLatency: p.double().nullable(),
    bgNegLatency: p.double().nullable(),
    bgDecPosAmp: p.double().nullable(),
    bgDecNegAmp: p.double().nullable(),
    bgDecMeanAmp: p.double().nullable(),
    bgTemplateAmp: p.double().nullable(),
    bgCrosstalk: p.double().nullable(),
  },
});

export class PulseResponseStrength extends PulseResponseStrengthSchema.class {}
PulseResponseStrengthSchema.setClass(PulseResponseStrength);
