/**
 * PSP shape shared by the simulator and the fit: (1 - e^{-t/τr})² · e^{-t/τd} after onset,
 * scaled so its peak equals `amplitude`. Parameterised by the onset→peak rise time (as
 * neuroanalysis' psp_func is) because that is what people read off a trace.
 */
export interface PspParams {
  /** Signed peak deflection (V). */
  amplitude: number;
  /** Onset time relative to the alignment point, usually the presynaptic spike (s). */
  latency: number;
  /** Onset to peak (s). */
  riseTime: number;
  /** Exponential decay time constant (s). */
  decayTau: number;
}

/** τr such that the kernel peaks `riseTime` after onset; bisection on the peak condition. */
export function riseTauFor(riseTime: number, decayTau: number): number {
  // d/dt = 0  ⇔  2·τd·e^{-tp/τr} = τr·(1 - e^{-tp/τr}); the left minus right grows with τr.
  const g = (tr: number): number => 2 * decayTau * Math.exp(-riseTime / tr) - tr * (1 - Math.exp(-riseTime / tr));
  let lo = riseTime / 60;
  let hi = riseTime * 4;
  if (g(hi) < 0) return hi; // rise slower than decay allows: clamp to the slowest shape
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) < 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Precomputed constants for rendering many samples of one shape. */
export interface PspShape {
  riseTau: number;
  decayTau: number;
  norm: number;
}

export function pspShape(riseTime: number, decayTau: number): PspShape {
  const riseTau = riseTauFor(riseTime, decayTau);
  let tp = riseTime;
  if (riseTau >= riseTime * 4 - 1e-12) tp = peakTime(riseTau, decayTau);
  const peak = (1 - Math.exp(-tp / riseTau)) ** 2 * Math.exp(-tp / decayTau);
  return { riseTau, decayTau, norm: 1 / peak };
}

function peakTime(riseTau: number, decayTau: number): number {
  let best = 0;
  let bestV = -1;
  for (let t = 0; t < 10 * decayTau; t += riseTau / 200) {
    const v = (1 - Math.exp(-t / riseTau)) ** 2 * Math.exp(-t / decayTau);
    if (v > bestV) {
      bestV = v;
      best = t;
    }
  }
  return best;
}

/** Unit-peak kernel value `t` seconds after onset. */
export function pspValue(shape: PspShape, t: number): number {
  if (t <= 0) return 0;
  const r = 1 - Math.exp(-t / shape.riseTau);
  return shape.norm * r * r * Math.exp(-t / shape.decayTau);
}

/**
 * Adds amplitude·kernel to `out`, whose sample i is at time t0 + i/rate, for an event with
 * onset `onset` (same time base). Stops when the tail is below 1e-4 of the peak.
 */
export function addPsp(
  out: Float32Array | Float64Array,
  rate: number,
  t0: number,
  onset: number,
  amplitude: number,
  shape: PspShape,
): void {
  const first = Math.max(0, Math.ceil((onset - t0) * rate));
  const tailEnd = onset + shape.riseTau * 3 + shape.decayTau * 9.2;
  const last = Math.min(out.length, Math.ceil((tailEnd - t0) * rate));
  const k = amplitude * shape.norm;
  for (let i = first; i < last; i++) {
    const t = t0 + i / rate - onset;
    if (t <= 0) continue;
    const r = 1 - Math.exp(-t / shape.riseTau);
    out[i]! += k * r * r * Math.exp(-t / shape.decayTau);
  }
}
