import { floatMode, median } from './stats.js';
import type { SquarePulse } from './square-pulses.js';

export interface TestPulseFit {
  /** Steady-state deflection per injected current (Ω). */
  inputResistance: number;
  /** Membrane time constant from the charging curve (s). */
  tau: number;
  baseline: number;
}

/**
 * Input resistance from a current-clamp test pulse: fits V(t) = V0 + ΔV·(1 − e^{−t/τ}) to
 * the charging curve (grid over τ, ΔV and V0 by linear least squares), so a pulse shorter
 * than a few τ still gives the steady state.
 */
export function fitTestPulse(v: ArrayLike<number>, rate: number, pulse: SquarePulse): TestPulseFit | null {
  const pre = Math.round(0.01 * rate);
  if (pulse.start - pre < 0 || pulse.stop > v.length) return null;
  const baseline = floatMode(v, pulse.start - pre, pulse.start);
  // Skip 0.2 ms after onset (electrode artifact, bridge error).
  const from = pulse.start + Math.max(1, Math.round(0.0002 * rate));
  const n = pulse.stop - from;
  if (n < 10) return null;
  let best: { sse: number; dv: number; tau: number; v0: number } | undefined;
  const t1 = (from - pulse.start) / rate;
  // Samples relative to the first one (exact in float64 at these magnitudes), so the residual
  // from the normal equations below does not cancel against a large Σy².
  const c = v[from]!;
  // The relative samples once, typed: the τ grid below reads them ~130 times.
  const ys = new Float64Array(n);
  let sy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const y = v[from + i]! - c;
    ys[i] = y;
    sy += y;
    syy += y * y;
  }
  for (let tau = 0.002; tau <= 0.1; tau *= 1.03) {
    // g = 1 − e^{−t/τ}, built by repeated multiplication (no exp per sample).
    const q = Math.exp(-1 / (rate * tau));
    const e0 = Math.exp(-t1 / tau);
    // Σe and Σe² are geometric series; only Σe·y needs the samples.
    const se = (e0 * (1 - q ** n)) / (1 - q);
    const see = (e0 * e0 * (1 - q ** (2 * n))) / (1 - q * q);
    const sey = decaySum(ys, e0, q);
    const sg = n - se;
    const sgg = n - 2 * se + see;
    const sgy = sy - sey;
    const det = n * sgg - sg * sg;
    if (det === 0) continue;
    const dv = (n * sgy - sg * sy) / det;
    const v0 = (sy - dv * sg) / n;
    // Least-squares residual without a second pass: Σ(y − v0 − dv·g)² = Σy² − v0·Σy − dv·Σgy at the optimum.
    const sse = syy - v0 * sy - dv * sgy;
    if (!best || sse < best.sse) best = { sse, dv, tau, v0: v0 + c };
  }
  if (!best) return null;
  return { inputResistance: (best.v0 + best.dv - baseline) / pulse.amplitude, tau: best.tau, baseline };
}

/**
 * Σ e0·qⁱ·ys[i], the one per-sample sum of the τ grid: four interleaved running products and
 * sums, so the additions do not wait on each other (one chain was latency-bound, ~2× slower).
 * Rounding differs from a single chain in the last bits only (the module-reference bench
 * compares input resistance at 1e-8 relative and the τ grid point exactly).
 */
function decaySum(ys: Float64Array, e0: number, q: number): number {
  const n = ys.length;
  const q4 = q * q * q * q;
  let e1 = e0;
  let e2 = e0 * q;
  let e3 = e2 * q;
  let e4 = e3 * q;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4, e1 *= q4, e2 *= q4, e3 *= q4, e4 *= q4) {
    s1 += e1 * ys[i]!;
    s2 += e2 * ys[i + 1]!;
    s3 += e3 * ys[i + 2]!;
    s4 += e4 * ys[i + 3]!;
  }
  for (; i < n; i++, e1 *= q) s1 += e1 * ys[i]!;
  return s1 + s2 + s3 + s4;
}

export interface CellIntrinsic {
  restingPotential: number;
  inputResistance: number;
  membraneTau: number;
  noiseSd: number;
  nRecordings: number;
}

/** Per-cell intrinsic features: medians over the cell's recordings (robust to one bad sweep). */
export function cellIntrinsic(
  perRecording: { baselinePotential: number; noiseSd: number; testPulse: TestPulseFit | null }[],
): CellIntrinsic {
  const tp = perRecording.map((r) => r.testPulse).filter((t): t is TestPulseFit => t !== null);
  return {
    restingPotential: median(perRecording.map((r) => r.baselinePotential)),
    inputResistance: median(tp.map((t) => t.inputResistance)),
    membraneTau: median(tp.map((t) => t.tau)),
    noiseSd: median(perRecording.map((r) => r.noiseSd)),
    nRecordings: perRecording.length,
  };
}
