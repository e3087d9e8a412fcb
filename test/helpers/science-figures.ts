import {
  validate,
  type PairPrediction,
  type PairTruthLike,
  type ValidationReport,
} from '../../src/analysis/validation.js';
import { riseRange } from '../../src/analysis/psp-fit.js';
import { median } from '../../src/analysis/stats.js';
import { simulateSite, type SimulationOptions } from '../../src/sample-data/physiology/index.js';
import { analyzeSite, simulatedSweeps } from './site-analysis.js';

export interface ScienceFigures extends ValidationReport {
  /** Median |fit − truth| latency (s) by true onset shape, over connections ≥ the amplitude floor. */
  latencyErrorByShape: Record<string, { median: number; n: number }>;
  /** Fits of true connections ≥ the amplitude floor whose rise sits at the fit's upper bound (4.5 ms for the smooth foot). */
  riseAtCap: number;
  /** The same for the weaker connections, whose kinetics noise leaves undetermined. */
  riseAtCapWeak: number;
  /** Median signed amplitude error (V) of excitatory and inhibitory connections ≥ the floor. */
  amplitudeBias: { ex: number; in: number };
}

/**
 * Simulates one site per seed (in memory, no NWB), runs the whole science path on it and
 * scores it against the truth: the figures docs/science.md tabulates.
 */
export function scienceFigures(
  seeds: number[],
  options: SimulationOptions = {},
  minAmplitude = 0.2e-3,
): ScienceFigures {
  const predictions: PairPrediction[] = [];
  const truth: PairTruthLike[] = [];
  const byShape = new Map<string, number[]>();
  const bias = { ex: [] as number[], in: [] as number[] };
  let riseAtCap = 0;
  let riseAtCapWeak = 0;
  for (const seed of seeds) {
    const site = simulateSite({ cells: 6, ...options, seed });
    const sweeps = simulatedSweeps(site);
    const result = analyzeSite(`site-${seed}`, sweeps);
    const byKey = new Map(result.pairs.map((p) => [`${p.pre}\u0000${p.post}`, p]));
    for (const p of result.pairs)
      predictions.push({
        pre: `${seed}/${p.pre}`,
        post: `${seed}/${p.post}`,
        detectionScore: p.result?.detectionScore ?? 0,
        synapseType: p.result?.synapseType ?? null,
        amplitude: p.result?.fit?.amplitude ?? null,
        latency: p.result?.fit?.latency ?? null,
      });
    for (const t of site.truth.pairs) {
      truth.push({ ...t, preElectrode: `${seed}/${t.preElectrode}`, postElectrode: `${seed}/${t.postElectrode}` });
      const fit = byKey.get(`${t.preElectrode}\u0000${t.postElectrode}`)?.result?.fit;
      if (!t.connected || !fit) continue;
      const atCap = fit.riseTime >= riseRange(fit.onsetExponent)[1] - 1e-6;
      if (Math.abs(t.amplitude!) < minAmplitude) {
        if (atCap) riseAtCapWeak++;
        continue;
      }
      if (atCap) riseAtCap++;
      const list = byShape.get(t.riseShape!) ?? [];
      list.push(Math.abs(fit.latency - t.latency!));
      byShape.set(t.riseShape!, list);
      bias[t.synapseType!].push(fit.amplitude - t.amplitude!);
    }
  }
  return {
    ...validate(predictions, truth, minAmplitude),
    latencyErrorByShape: Object.fromEntries([...byShape].map(([k, v]) => [k, { median: median(v), n: v.length }])),
    riseAtCap,
    riseAtCapWeak,
    amplitudeBias: { ex: median(bias.ex), in: median(bias.in) },
  };
}
