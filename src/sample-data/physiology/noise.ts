import type { Prng } from '../../util/prng.js';

/**
 * Adds recording noise of total SD `sd`: 60 % of the variance white, 40 % an
 * Ornstein–Uhlenbeck process (τ 8 ms) for the slow wander real baselines have.
 */
export function addNoise(out: Float32Array, rate: number, sd: number, prng: Prng): void {
  const white = sd * Math.sqrt(0.6);
  const slow = sd * Math.sqrt(0.4);
  const a = Math.exp(-1 / (rate * 0.008));
  const b = slow * Math.sqrt(1 - a * a);
  let ou = slow * prng.normal();
  for (let i = 0; i < out.length; i++) {
    ou = a * ou + b * prng.normal();
    out[i]! += ou + white * prng.normal();
  }
}
