import { validate, type PairPrediction, type PairTruthLike } from '../analysis/index.js';
import type { Em } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import type { PairTruthRecord } from '../sample-data/truth.js';

/** The current-clamp figures, measured the same way on the voltage-clamp results (connection_strength_vc). */
export interface VoltageClampValidation {
  /** Pairs with a VC truth record, and the true connections among them. */
  pairs: number;
  connections: number;
  /** True pairs with no connection_strength_vc row (e.g. their post cell was never clamped). */
  missingPredictions: number;
  rocAuc: number;
  synapseTypeAccuracy: number;
  /** Median |fit − truth| / |truth| of the PSC amplitude (A), over connections whose PSP is ≥ `minAmplitudeMv`. */
  medianAmplitudeErrorPct: number;
  amplitudesCompared: number;
  minAmplitudeMv: number;
  medianLatencyErrorMs: number;
  /** Median fitted PSC amplitude (pA, signed) of the compared connections, and the holding potential (mV). */
  medianFitAmplitudePa: number | null;
  holdingPotentialMv: number | null;
}

const key = (experiment: string, pipette: string) => `${experiment}\u0001${pipette}`;

/** Voltage-clamp figures against the PSC truth; null when the truth has no VC sweeps. */
export async function validateVoltageClamp(
  em: Em,
  truth: PairTruthRecord[],
  minAmplitudeMv: number,
): Promise<VoltageClampValidation | null> {
  const vcTruth = truth.filter((t) => t.psc !== undefined);
  if (vcTruth.length === 0) return null;
  const rows = await query<{
    experiment_id: string;
    pre: string;
    post: string;
    detection_score: number | null;
    synapse_type: 'ex' | 'in' | null;
    fit_amplitude: number | null;
    fit_latency: number | null;
    holding_potential: number | null;
  }>(
    em,
    sql`SELECT cs.experiment_id, pre.ext_id AS pre, post.ext_id AS post, cs.detection_score, cs.synapse_type,
        cs.fit_amplitude, cs.fit_latency, cs.holding_potential
      FROM connection_strength_vc cs JOIN pair p ON p.id = cs.pair_id
      JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id`,
  );
  const predictions: PairPrediction[] = rows.map((r) => ({
    pre: key(r.experiment_id, r.pre),
    post: key(r.experiment_id, r.post),
    detectionScore: r.detection_score ?? Number.NEGATIVE_INFINITY,
    synapseType: r.synapse_type,
    amplitude: r.fit_amplitude,
    latency: r.fit_latency,
  }));
  const truthLike: PairTruthLike[] = vcTruth.map((t) => ({
    preElectrode: key(t.experiment_id, t.pre_pipette),
    postElectrode: key(t.experiment_id, t.post_pipette),
    connected: t.connected,
    synapseType: t.synapse_type,
    amplitude: t.psc?.amplitude_a ?? null,
    latency: t.psc ? t.psc.latency_ms * 1e-3 : null,
    // The same connections as current clamp's amplitude figure: those whose PSP reaches the threshold.
    selectionAmplitude: t.amplitude_mv === null ? null : t.amplitude_mv * 1e-3,
  }));
  const report = validate(predictions, truthLike, minAmplitudeMv * 1e-3);
  const holdings = rows.map((r) => r.holding_potential).filter((h): h is number => h !== null);
  const byKey = new Map(predictions.map((p) => [`${p.pre}\u0000${p.post}`, p]));
  const fitted = truthLike
    .filter(
      (t) => t.connected && t.selectionAmplitude != null && Math.abs(t.selectionAmplitude) >= minAmplitudeMv * 1e-3,
    )
    .map((t) => byKey.get(`${t.preElectrode}\u0000${t.postElectrode}`)?.amplitude)
    .filter((a): a is number => a != null)
    .sort((a, b) => a - b);
  return {
    pairs: report.nPairs,
    connections: report.nConnected,
    missingPredictions: report.missingPredictions,
    rocAuc: report.auc,
    synapseTypeAccuracy: report.synapseTypeAccuracy,
    medianAmplitudeErrorPct: report.medianRelativeAmplitudeError * 100,
    amplitudesCompared: report.nAmplitudeCompared,
    minAmplitudeMv,
    medianLatencyErrorMs: report.medianLatencyError * 1e3,
    medianFitAmplitudePa: fitted.length ? fitted[fitted.length >> 1]! * 1e12 : null,
    holdingPotentialMv: holdings.length ? (holdings.reduce((a, b) => a + b, 0) / holdings.length) * 1e3 : null,
  };
}
