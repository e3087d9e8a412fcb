/**
 * PSP shape shared by the simulator and the fit: (1 − e^{−t/τr})^p · e^{−t/τd} after onset,
 * scaled so its peak equals `amplitude`. Parameterised by the onset→peak rise time (as
 * neuroanalysis' psp_func is) because that is what people read off a trace. The onset
 * exponent p sets the foot: p = 2 (the default, neuroanalysis' shape) starts with zero slope,
 * p = 1 (a single-exponential rise) starts with a sharp corner.
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

/** The smooth foot of neuroanalysis' psp_func. */
export const SMOOTH_ONSET = 2;
/** A single-exponential rise: the PSP leaves the baseline at full slope. */
export const SHARP_ONSET = 1;

/** τr such that the kernel peaks `riseTime` after onset; bisection on the peak condition. */
export function riseTauFor(riseTime: number, decayTau: number, exponent = SMOOTH_ONSET): number {
  // d/dt = 0  ⇔  p·τd·e^{-tp/τr} = τr·(1 - e^{-tp/τr}); the left minus right grows with τr.
  const g = (tr: number): number =>
    exponent * decayTau * Math.exp(-riseTime / tr) - tr * (1 - Math.exp(-riseTime / tr));
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
  exponent: number;
  norm: number;
}

export function pspShape(riseTime: number, decayTau: number, exponent = SMOOTH_ONSET): PspShape {
  const riseTau = riseTauFor(riseTime, decayTau, exponent);
  let tp = riseTime;
  if (riseTau >= riseTime * 4 - 1e-12) tp = peakTime(riseTau, decayTau, exponent);
  const peak =
    exponent === SMOOTH_ONSET
      ? (1 - Math.exp(-tp / riseTau)) ** 2 * Math.exp(-tp / decayTau)
      : onsetPower(1 - Math.exp(-tp / riseTau), exponent) * Math.exp(-tp / decayTau);
  return { riseTau, decayTau, exponent, norm: 1 / peak };
}

/** r^p, with the common p = 2 as one multiplication (bit-identical to the original shape). */
export function onsetPower(r: number, exponent: number): number {
  return exponent === SMOOTH_ONSET ? r * r : exponent === SHARP_ONSET ? r : Math.pow(r, exponent);
}

function peakTime(riseTau: number, decayTau: number, exponent: number): number {
  let best = 0;
  let bestV = -1;
  for (let t = 0; t < 10 * decayTau; t += riseTau / 200) {
    const v = onsetPower(1 - Math.exp(-t / riseTau), exponent) * Math.exp(-t / decayTau);
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
  if (shape.exponent === SMOOTH_ONSET) {
    const r = 1 - Math.exp(-t / shape.riseTau);
    return shape.norm * r * r * Math.exp(-t / shape.decayTau);
  }
  return shape.norm * onsetPower(1 - Math.exp(-t / shape.riseTau), shape.exponent) * Math.exp(-t / shape.decayTau);
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
    // The smooth shape keeps its original expression, so today's sample data stay byte for byte.
    const rise = shape.exponent === SMOOTH_ONSET ? k * r * r : k * onsetPower(r, shape.exponent);
    out[i]! += rise * Math.exp(-t / shape.decayTau);
  }
}
