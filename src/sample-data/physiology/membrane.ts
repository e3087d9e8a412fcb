import type { SimulatedCell } from './types.js';

/** Action potential timing (s): threshold to peak, peak to AHP trough. */
const RISE = 0.4e-3;
const FALL = 0.9e-3;
const REFRACTORY = 2e-3;
const PEAK = 30e-3;
const AHP_DEPTH = 7e-3;

/**
 * Integrates a leaky membrane driven by `command` (A) into `out` (V). When the depolarisation
 * reaches the cell's threshold, a stereotyped action potential (fast rise to about +30 mV,
 * repolarisation, AHP below rest) is drawn and the membrane restarts from the AHP trough.
 * Returns the max-slope times (s) of the spikes.
 */
export function simulateMembrane(
  cell: SimulatedCell,
  command: Float32Array,
  rate: number,
  out: Float32Array,
): number[] {
  const dt = 1 / rate;
  const rest = cell.restingPotential;
  const threshold = rest + cell.spikeThreshold;
  const decay = Math.exp(-dt / cell.membraneTau);
  const spikes: number[] = [];
  const riseN = Math.max(2, Math.round(RISE * rate));
  const fallN = Math.max(2, Math.round(FALL * rate));
  const trough = rest - AHP_DEPTH;
  let v = rest;
  let refractoryUntil = -1;
  let i = 0;
  while (i < command.length) {
    // Exact update for piecewise-constant current: relax towards rest + I·R.
    const target = rest + command[i]! * cell.inputResistance;
    v = target + (v - target) * decay;
    if (v >= threshold && i >= refractoryUntil) {
      const start = v;
      for (let k = 0; k < riseN && i + k < out.length; k++) {
        out[i + k] = start + ((PEAK - start) * (1 - Math.cos((Math.PI * (k + 1)) / riseN))) / 2;
      }
      for (let k = 0; k < fallN && i + riseN + k < out.length; k++) {
        out[i + riseN + k] = trough + ((PEAK - trough) * (1 + Math.cos((Math.PI * (k + 1)) / fallN))) / 2;
      }
      // The cosine rise is steepest half way up.
      spikes.push((i + riseN / 2 - 1) / rate);
      i += riseN + fallN;
      v = trough;
      refractoryUntil = i + Math.round(REFRACTORY * rate);
      continue;
    }
    out[i] = v;
    i++;
  }
  return spikes;
}
