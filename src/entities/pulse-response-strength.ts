import { defineEntity, p } from '@mikro-orm/core';
import { Experiment } from './experiment.js';
import { PulseResponse } from './pulse-response.js';

/**
 * Measures of one response window and, with the `bg_` prefix, of its matched background
 * snippet measured the same way (V, s after the spike). Owned by `pulse_response`.
 */
export const PulseResponseStrengthSchema = defineEntity({
  name: 'PulseResponseStrength',
  tableName: 'pulse_response_strength',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    pulseResponse: () => p.manyToOne(PulseResponse).unique(),
    baseline: p.double(),
    posAmp: p.double(),
    negAmp: p.double(),
    posLatency: p.double().nullable(),
    negLatency: p.double().nullable(),
    decPosAmp: p.double(),
    decNegAmp: p.double(),
    decMeanAmp: p.double(),
    templateAmp: p.double(),
    crosstalk: p.double(),
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
