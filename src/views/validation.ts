import fs from 'node:fs';
import path from 'node:path';
import { validate, type PairPrediction, type PairTruthLike } from '../analysis/index.js';
import type { Orm } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import { BadInputError } from '../errors/index.js';
import type { PairTruthRecord } from '../sample-data/truth.js';
import { validateDynamics, type DynamicsValidation } from './validation-dynamics.js';
import { validateConnectivity, type ConnectivityValidation } from './connectivity-validation.js';
import { validateVoltageClamp, type VoltageClampValidation } from './validation-vc.js';

export interface ValidationSummary {
  truthDir: string;
  experiments: number;
  /** Truth experiments with no connection_strength rows yet (left out of the figures). */
  experimentsMissing: number;
  pairs: number;
  connections: number;
  missingPredictions: number;
  rocAuc: number;
  synapseTypeAccuracy: number;
  /** Median |fit − truth| / |truth| (%) over true connections of at least `minAmplitudeMv`. */
  medianAmplitudeErrorPct: number;
  amplitudesCompared: number;
  minAmplitudeMv: number;
  medianLatencyErrorMs: number;
  /** Short-term plasticity of the `dynamics` module over true connections ≥ 0.3 mV; null if it has not run. */
  dynamics: DynamicsValidation | null;
  /** Connectivity by class against truth/connectivity.json; null for truth written before it existed. */
  connectivity: ConnectivityValidation | null;
  /**
   * The same detection, type, amplitude (A) and latency figures from the voltage-clamp results
   * alone (connection_strength_vc); the figures above are current clamp only. Null when the
   * truth has no voltage-clamp sweeps.
   */
  voltageClamp: VoltageClampValidation | null;
}

// Electrode names in the analysis' validate() are free-form keys: experiment and pipette make them unique across sites.
const key = (experiment: string, pipette: string) => `${experiment}\u0001${pipette}`;

export function readPairTruth(truthDir: string): PairTruthRecord[] {
  const file = path.join(truthDir, 'pairs.json');
  if (!fs.existsSync(file))
    throw new BadInputError(file, 'no ground truth here; `mpctl sample-data` writes it to OUT/truth/');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PairTruthRecord[];
  } catch (error) {
    throw new BadInputError(file, `not JSON: ${(error as Error).message}`);
  }
}

/** Scores the database's connection_strength against the sample data's ground truth. */
export async function validateAgainstTruth(
  orm: Orm,
  truthDir: string,
  minAmplitudeMv = 0.2,
): Promise<ValidationSummary> {
  const truth = readPairTruth(truthDir);
  const rows = await query<{
    experiment_id: string;
    pre: string;
    post: string;
    detection_score: number | null;
    synapse_type: 'ex' | 'in' | null;
    fit_amplitude: number | null;
    fit_latency: number | null;
  }>(
    orm.em.fork(),
    sql`SELECT cs.experiment_id, pre.ext_id AS pre, post.ext_id AS post, cs.detection_score, cs.synapse_type, cs.fit_amplitude, cs.fit_latency
      FROM connection_strength cs JOIN pair p ON p.id = cs.pair_id JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id`,
  );
  const analysed = new Set(rows.map((r) => r.experiment_id));
  const truthExperiments = new Set(truth.map((t) => t.experiment_id));
  const used = truth.filter((t) => analysed.has(t.experiment_id));
  const predictions: PairPrediction[] = rows.map((r) => ({
    pre: key(r.experiment_id, r.pre),
    post: key(r.experiment_id, r.post),
    detectionScore: r.detection_score ?? Number.NEGATIVE_INFINITY,
    synapseType: r.synapse_type,
    amplitude: r.fit_amplitude,
    latency: r.fit_latency,
  }));
  const truthLike: PairTruthLike[] = used.map((t) => ({
    preElectrode: key(t.experiment_id, t.pre_pipette),
    postElectrode: key(t.experiment_id, t.post_pipette),
    connected: t.connected,
    synapseType: t.synapse_type,
    amplitude: t.amplitude_mv === null ? null : t.amplitude_mv * 1e-3,
    latency: t.latency_ms === null ? null : t.latency_ms * 1e-3,
  }));
  const report = validate(predictions, truthLike, minAmplitudeMv * 1e-3);
  return {
    truthDir,
    experiments: truthExperiments.size,
    experimentsMissing: [...truthExperiments].filter((e) => !analysed.has(e)).length,
    pairs: report.nPairs,
    connections: report.nConnected,
    missingPredictions: report.missingPredictions,
    rocAuc: report.auc,
    synapseTypeAccuracy: report.synapseTypeAccuracy,
    medianAmplitudeErrorPct: report.medianRelativeAmplitudeError * 100,
    amplitudesCompared: report.nAmplitudeCompared,
    minAmplitudeMv,
    medianLatencyErrorMs: report.medianLatencyError * 1e3,
    dynamics: await validateDynamics(orm.em.fork(), used),
    connectivity: await validateConnectivity(
      orm,
      truthDir,
      new Map(used.map((t) => [`${t.experiment_id}\u0001${t.pre_pipette}\u0001${t.post_pipette}`, t.connected])),
    ),
    voltageClamp: await validateVoltageClamp(orm.em.fork(), used, minAmplitudeMv),
  };
}
