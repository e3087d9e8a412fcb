// The table this module owns; it references the entities of the modules it depends on.
import { defineEntity, p } from '@mikro-orm/core';
import type { ResponseStrength } from '../../analysis/index.js';
import { PulseResponse } from '../dataset/entities.js';
import { Experiment } from '../experiment/entities.js';

/** Every measure of a response window, in the order the table stores them. */
export const RESPONSE_MEASURES = [
  'baseline',
  'posAmp',
  'negAmp',
  'posLatency',
  'negLatency',
  'decPosAmp',
  'decNegAmp',
  'decMeanAmp',
  'templateAmp',
  'crosstalk',
] as const satisfies readonly (keyof ResponseStrength)[];

export type ResponseMeasure = (typeof RESPONSE_MEASURES)[number];
/** Compile-time check: a measure added to ResponseStrength must be stored too. */
export type UnstoredMeasures = Exclude<keyof ResponseStrength, ResponseMeasure>;
const everyMeasureStored: [UnstoredMeasures] extends [never] ? true : never = true;
void everyMeasureStored;

/** The column of a measure of the matched background snippet: `posAmp` → `bgPosAmp` (bg_pos_amp). */
export const backgroundOf = <M extends ResponseMeasure>(m: M) =>
  `bg${m[0]!.toUpperCase()}${m.slice(1)}` as Background<M>;
type Background<M extends string> = `bg${Capitalize<M>}`;

const measure = () => p.double().nullable();
type MeasureColumns = { [M in ResponseMeasure]: ReturnType<typeof measure> } & {
  [M in ResponseMeasure as Background<M>]: ReturnType<typeof measure>;
};
const measureColumns = () =>
  Object.fromEntries([
    ...RESPONSE_MEASURES.map((m) => [m, measure()]),
    ...RESPONSE_MEASURES.map((m) => [backgroundOf(m), measure()]),
  ]) as MeasureColumns;

/**
 * Current-clamp responses only. Measures of one response window and, with the `bg` prefix, of its matched background
 * snippet measured the same way (V, s after the spike); null where a measure is undefined
 * (e.g. a window cut short).
 */
export const PulseResponseStrengthSchema = defineEntity({
  name: 'PulseResponseStrength',
  tableName: 'pulse_response_strength',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    pulseResponse: () => p.manyToOne(PulseResponse).unique(),
    ...measureColumns(),
  },
});

export class PulseResponseStrength extends PulseResponseStrengthSchema.class {}
PulseResponseStrengthSchema.setClass(PulseResponseStrength);

/**
 * The same measures of a voltage-clamp response window (A, s after the spike), measured with
 * the VC settings (deconvolution τ 5 ms, PSC template): kept apart from current clamp so no
 * query can average amperes with volts. `baseline` is the window's holding current.
 */
export const PulseResponseVcStrengthSchema = defineEntity({
  name: 'PulseResponseVcStrength',
  tableName: 'pulse_response_vc_strength',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    pulseResponse: () => p.manyToOne(PulseResponse).unique(),
    ...measureColumns(),
  },
});

export class PulseResponseVcStrength extends PulseResponseVcStrengthSchema.class {}
PulseResponseVcStrengthSchema.setClass(PulseResponseVcStrength);
