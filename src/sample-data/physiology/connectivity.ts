import type { Prng } from '../../util/prng.js';
import { drawPlasticity } from './plasticity.js';
import type { PairTruth, SimulatedCell } from './types.js';

/** Per ordered pair: connected or not, and if so the synapse's sign, strength and kinetics. */
export function drawConnections(
  prng: Prng,
  cells: SimulatedCell[],
  probability: number,
  perPair: number[][] | null = null,
): PairTruth[] {
  const pairs: PairTruth[] = [];
  for (const pre of cells) {
    for (const post of cells) {
      if (pre.index === post.index) continue;
      const base = { pre: pre.index, post: post.index, preElectrode: pre.electrode, postElectrode: post.electrode };
      if (prng.random() >= (perPair?.[pre.index]?.[post.index] ?? probability)) {
        pairs.push({
          ...base,
          connected: false,
          synapseType: null,
          amplitude: null,
          expectedAmplitude: null,
          latency: null,
          riseTime: null,
          riseShape: null,
          decayTau: null,
          failureRate: null,
          plasticity: null,
        });
        continue;
      }
      const synapseType = prng.random() < 0.25 ? 'in' : 'ex';
      // Log-normal strengths (median 0.5 mV) clipped to 0.1–2 mV, as in paired recordings.
      const magnitude = Math.min(2e-3, Math.max(0.1e-3, 0.5e-3 * Math.exp(0.7 * prng.normal())));
      const expectedAmplitude = synapseType === 'ex' ? magnitude : -magnitude;
      pairs.push({
        ...base,
        connected: true,
        synapseType,
        amplitude: expectedAmplitude,
        expectedAmplitude,
        latency: prng.uniform(1e-3, 2.5e-3),
        riseTime: prng.uniform(1e-3, 3e-3),
        riseShape: 'smooth',
        decayTau: synapseType === 'ex' ? prng.uniform(10e-3, 30e-3) : prng.uniform(15e-3, 40e-3),
        failureRate: prng.uniform(0, 0.3),
        plasticity: drawPlasticity(prng, synapseType),
      });
    }
  }
  return pairs;
}
