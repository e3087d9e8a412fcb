import { median } from './stats.js';

export interface PairPrediction {
  pre: string;
  post: string;
  detectionScore: number;
  synapseType: 'ex' | 'in' | null;
  /** Fitted first-pulse amplitude (V, signed) and onset latency (s). */
  amplitude: number | null;
  latency: number | null;
}

export interface PairTruthLike {
  preElectrode: string;
  postElectrode: string;
  connected: boolean;
  synapseType: 'ex' | 'in' | null;
  amplitude: number | null;
  latency: number | null;
  /**
   * What `minAmplitude` is compared with, when it is not `amplitude`: voltage clamp scores PSC
   * amplitudes (A) over the connections whose PSP (V) reaches the current-clamp threshold.
   */
  selectionAmplitude?: number | null;
}

export interface ValidationReport {
  nPairs: number;
  nConnected: number;
  /** ROC AUC of detectionScore, connected vs unconnected. */
  auc: number;
  /** Fraction of true connections whose predicted type matches. */
  synapseTypeAccuracy: number;
  /** Median |fit − truth| / |truth| over true connections with |truth| ≥ minAmplitude. */
  medianRelativeAmplitudeError: number;
  nAmplitudeCompared: number;
  /** Median |fit − truth| latency over true connections (s). */
  medianLatencyError: number;
  missingPredictions: number;
}

/**
 * Scores predictions against ground truth. Pairs are matched by electrode names; a true
 * pair with no prediction counts with score −∞ and a wrong type.
 */
export function validate(
  predictions: PairPrediction[],
  truth: PairTruthLike[],
  minAmplitude = 0.2e-3,
): ValidationReport {
  const byKey = new Map(predictions.map((p) => [`${p.pre}\u0000${p.post}`, p]));
  const pos: number[] = [];
  const neg: number[] = [];
  let typeOk = 0;
  const ampErr: number[] = [];
  const latErr: number[] = [];
  let missing = 0;
  for (const t of truth) {
    const p = byKey.get(`${t.preElectrode}\u0000${t.postElectrode}`);
    if (!p) missing++;
    const score = p?.detectionScore ?? -Infinity;
    (t.connected ? pos : neg).push(Number.isFinite(score) ? score : -Infinity);
    if (!t.connected) continue;
    if (p?.synapseType === t.synapseType) typeOk++;
    const size = t.selectionAmplitude === undefined ? t.amplitude : t.selectionAmplitude;
    if (p?.amplitude != null && t.amplitude != null && size != null && Math.abs(size) >= minAmplitude)
      ampErr.push(Math.abs(p.amplitude - t.amplitude) / Math.abs(t.amplitude));
    if (p?.latency != null && t.latency != null) latErr.push(Math.abs(p.latency - t.latency));
  }
  return {
    nPairs: truth.length,
    nConnected: pos.length,
    auc: rocAuc(pos, neg),
    synapseTypeAccuracy: pos.length ? typeOk / pos.length : Number.NaN,
    medianRelativeAmplitudeError: median(ampErr),
    nAmplitudeCompared: ampErr.length,
    medianLatencyError: median(latErr),
    missingPredictions: missing,
  };
}

/** Mann–Whitney form of the ROC AUC: P(score of a positive > score of a negative), ties count half. */
export function rocAuc(positives: number[], negatives: number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}
