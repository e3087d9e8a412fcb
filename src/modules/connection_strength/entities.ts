// The tables this module owns; a module may reference the entities of the modules it depends on.
import { defineEntity, p } from '@mikro-orm/core';
import { Experiment, Pair } from '../experiment/entities.js';

/**
 * Per ordered pair: foreground vs matched background statistics, synapse type, detection
 * score and the fit of the averaged response train (SI units). Owned by `connection_strength`.
 * Pairs with fewer than two usable responses get a row with n_samples and nulls.
 */
export const ConnectionStrengthSchema = defineEntity({
  name: 'ConnectionStrength',
  tableName: 'connection_strength',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    pair: () => p.manyToOne(Pair).unique(),
    synapseType: p.string().length(4).nullable(),
    detectionScore: p.double().nullable(),
    /** |Foreground − background| mean template amplitude, the detection score's numerator (V; A in voltage clamp). */
    detectionShift: p.double().nullable(),
    /** Standard error of that difference from the pair's noise alone (V; A): what its detection power rests on. */
    detectionSe: p.double().nullable(),
    signEvidence: p.double().nullable(),
    nSamples: p.integer(),
    nBackground: p.integer(),
    ampMean: p.double().nullable(),
    ampStdev: p.double().nullable(),
    bgAmpMean: p.double().nullable(),
    bgAmpStdev: p.double().nullable(),
    ampTtestP: p.double().nullable(),
    ampKsP: p.double().nullable(),
    latencyMean: p.double().nullable(),
    latencyStdev: p.double().nullable(),
    decAmpMean: p.double().nullable(),
    bgDecAmpMean: p.double().nullable(),
    decAmpTtestP: p.double().nullable(),
    decAmpKsP: p.double().nullable(),
    decMeanTtestP: p.double().nullable(),
    decMeanKsP: p.double().nullable(),
    fitAmplitude: p.double().nullable(),
    fitLatency: p.double().nullable(),
    fitRiseTime: p.double().nullable(),
    fitDecayTau: p.double().nullable(),
    fitNrmse: p.double().nullable(),
    /** Fitted amplitude of every pulse of the train, in pulse order (V). */
    fitPulseAmplitudes: p.json<(number | null)[]>().nullable(),
  },
});

export class ConnectionStrength extends ConnectionStrengthSchema.class {}
ConnectionStrengthSchema.setClass(ConnectionStrength);

/**
 * Per ordered pair and pulse number: the pulse-aligned average over sweeps that the fit of
 * `connection_strength` used, and the fitted model on the same samples. Sample i is at
 * `window_start + i / sample_rate` (s from sweep start); the presynaptic spike is at
 * `spike_time` on the same time base. Samples are little-endian float32 (V), each sweep's
 * window minus its own pre-pulse baseline. Owned by `connection_strength`.
 */
export const AverageResponseSchema = defineEntity({
  name: 'AverageResponse',
  tableName: 'average_response',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    pair: () => p.manyToOne(Pair).index(),
    pulseNumber: p.integer(),
    nAveraged: p.integer(),
    sampleRate: p.double(),
    windowStart: p.double(),
    spikeTime: p.double(),
    /** Averaged samples as little-endian float32 (V). */
    data: p.blob(),
    /** The fitted model at the same sample times, little-endian float32 (V); null when not fitted. */
    fitData: p.blob().nullable(),
  },
  uniques: [{ properties: ['pair', 'pulseNumber'] }],
});

export class AverageResponse extends AverageResponseSchema.class {}
AverageResponseSchema.setClass(AverageResponse);

/**
 * Per ordered pair, from its voltage-clamp responses only (post cell held in VC): the same
 * statistics and fit as `connection_strength`, in amperes (signed: an EPSC is negative), with
 * the holding potential and current the responses were recorded at. Kept apart from current
 * clamp so no average or statistic mixes the two. A row only for pairs with VC responses.
 * Owned by `connection_strength`.
 */
export const ConnectionStrengthVcSchema = defineEntity({
  name: 'ConnectionStrengthVc',
  tableName: 'connection_strength_vc',
  properties: {
    id: p.integer().primary().autoincrement(),
    experiment: () => p.manyToOne(Experiment).index(),
    pair: () => p.manyToOne(Pair).unique(),
    synapseType: p.string().length(4).nullable(),
    detectionScore: p.double().nullable(),
    /** |Foreground − background| mean template amplitude, the detection score's numerator (V; A in voltage clamp). */
    detectionShift: p.double().nullable(),
    /** Standard error of that difference from the pair's noise alone (V; A): what its detection power rests on. */
    detectionSe: p.double().nullable(),
    signEvidence: p.double().nullable(),
    nSamples: p.integer(),
    nBackground: p.integer(),
    /** Mean holding potential (V) and quiet holding current (A) of the post recordings used. */
    holdingPotential: p.double().nullable(),
    holdingCurrent: p.double().nullable(),
    ampMean: p.double().nullable(),
    ampStdev: p.double().nullable(),
    bgAmpMean: p.double().nullable(),
    bgAmpStdev: p.double().nullable(),
    ampTtestP: p.double().nullable(),
    ampKsP: p.double().nullable(),
    latencyMean: p.double().nullable(),
    latencyStdev: p.double().nullable(),
    decAmpMean: p.double().nullable(),
    bgDecAmpMean: p.double().nullable(),
    /** Fit of the averaged VC train: first-pulse PSC amplitude (A), onset latency, rise, decay (s). */
    fitAmplitude: p.double().nullable(),
    fitLatency: p.double().nullable(),
    fitRiseTime: p.double().nullable(),
    fitDecayTau: p.double().nullable(),
    fitNrmse: p.double().nullable(),
    fitPulseAmplitudes: p.json<(number | null)[]>().nullable(),
  },
});

export class ConnectionStrengthVc extends ConnectionStrengthVcSchema.class {}
ConnectionStrengthVcSchema.setClass(ConnectionStrengthVc);
