import type { Prng } from '../../util/prng.js';
import type { Plasticity } from './types.js';

export function drawPlasticity(prng: Prng, synapseType: 'ex' | 'in'): Plasticity {
  // Most cortical excitatory synapses onto pyramids depress; a minority facilitate.
  const facilitating = prng.random() < (synapseType === 'ex' ? 0.3 : 0.2);
  return facilitating
    ? {
        kind: 'facilitating',
        u: prng.uniform(0.1, 0.25),
        tauRecovery: prng.uniform(0.05, 0.2),
        tauFacilitation: prng.uniform(0.1, 0.4),
      }
    : { kind: 'depressing', u: prng.uniform(0.4, 0.7), tauRecovery: prng.uniform(0.2, 0.7), tauFacilitation: 0.01 };
}

/**
 * Tsodyks–Markram release per spike, normalised so the first spike releases 1: the
 * amplitude multiplier of each PSP in a train. NaN spike times (no spike) release nothing
 * and leave the state to recover.
 */
export function releaseFactors(p: Plasticity, spikeTimes: number[]): number[] {
  const factors: number[] = [];
  let u = p.u;
  let r = 1;
  let last: number | undefined;
  for (const t of spikeTimes) {
    if (Number.isNaN(t)) {
      factors.push(0);
      continue;
    }
    if (last !== undefined) {
      const dt = t - last;
      u = p.u + u * (1 - p.u) * Math.exp(-dt / p.tauFacilitation);
      r = 1 - (1 - r) * Math.exp(-dt / p.tauRecovery);
    }
    factors.push((u * r) / p.u);
    r -= u * r;
    last = t;
  }
  return factors;
}
