/**
 * Zero-phase second-order Butterworth low-pass (biquad run forward then backward), standing
 * in for the Bessel filters of neuroanalysis: no phase shift, so latencies are not biased.
 */
export function lowpass(x: ArrayLike<number>, rate: number, cutoff: number): Float64Array {
  return lowpassInPlace(new Float64Array(x), rate, cutoff);
}

/** The same filter over a buffer the caller owns (no second copy). */
function lowpassInPlace(out: Float64Array, rate: number, cutoff: number): Float64Array {
  if (cutoff >= rate / 2) return out;
  const k = Math.tan((Math.PI * cutoff) / rate);
  const q = Math.SQRT1_2;
  const norm = 1 / (1 + k / q + k * k);
  const b0 = k * k * norm;
  const b1 = 2 * b0;
  const a1 = 2 * (k * k - 1) * norm;
  const a2 = (1 - k / q + k * k) * norm;
  const pass = (dir: 1 | -1): void => {
    const n = out.length;
    if (n === 0) return;
    const first = dir === 1 ? 0 : n - 1;
    // Start in steady state at the edge value to avoid a start-up transient.
    let x1 = out[first]!;
    let x2 = x1;
    let y1 = x1;
    let y2 = x1;
    for (let c = 0, i = first; c < n; c++, i += dir) {
      const x0 = out[i]!;
      const y0 = b0 * x0 + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = x0;
      y2 = y1;
      y1 = y0;
      out[i] = y0;
    }
  };
  pass(1);
  pass(-1);
  return out;
}

/**
 * Exponential deconvolution: v + τ·dv/dt turns each PSP into a brief pulse of the same sign,
 * so overlapping PSPs in a train separate. Followed by the low-pass that tames the derivative's noise.
 * With `into` the result is a view on it, overwritten by the next call that passes it.
 */
export function deconvolve(
  x: ArrayLike<number>,
  rate: number,
  tau: number,
  cutoff = 1000,
  into?: Float64Array,
): Float64Array {
  const n = x.length;
  // A caller that measures thousands of windows passes one buffer for all (`into`, at least n long).
  const out = into ? into.subarray(0, n) : new Float64Array(n);
  // Central differences inside, one-sided at the edges (span 1), the same arithmetic as
  // clamping the neighbours' indices, without the clamps in the hot loop.
  const edge = (i: number): void => {
    const lo = Math.max(0, i - 1);
    const hi = Math.min(n - 1, i + 1);
    out[i] = x[i]! + (tau * (x[hi]! - x[lo]!) * rate) / (hi - lo || 1);
  };
  if (n > 0) edge(0);
  for (let i = 1; i < n - 1; i++) out[i] = x[i]! + (tau * (x[i + 1]! - x[i - 1]!) * rate) / 2;
  if (n > 1) edge(n - 1);
  return lowpassInPlace(out, rate, cutoff);
}
