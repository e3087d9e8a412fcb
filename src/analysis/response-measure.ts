import { deconvolve } from './filters.js';
import { pspShape, pspValue } from './psp-model.js';
import { floatMode, median, span } from './stats.js';

/** Per-response (or per-background-snippet) strength measures, SI units, times from the spike. */
export interface ResponseStrength {
  baseline: number;
  posAmp: number;
  negAmp: number;
  posLatency: number;
  negLatency: number;
  /** Peaks of the deconvolved trace (τ 15 ms, 1 kHz low-pass) relative to its pre-pulse level. */
  decPosAmp: number;
  decNegAmp: number;
  /** Mean of the deconvolved trace in the response window: unbiased, so it suits t- and KS tests. */
  decMeanAmp: number;
  /**
   * Least-squares amplitude of a generic PSP (latency 1.75 ms, rise 2 ms, decay 20 ms) on a
   * local line from spike −4 to +8 ms: a matched filter that ignores slow drift and the
   * decaying tail of earlier PSPs in a train.
   */
  templateAmp: number;
  crosstalk: number;
}

export interface MeasureOptions {
  /** Peak search after the spike (s); aisynphys uses 1–5 ms, widened to 6 ms for slow rises. */
  peakWindow?: [number, number];
  deconvolutionTau?: number;
  lowpass?: number;
  /** Matched-filter kinetics (s); default the generic PSP (latency 1.75 ms, rise 2 ms, decay 20 ms). Voltage clamp uses a PSC's. */
  template?: { latency: number; riseTime: number; decayTau: number };
}

/**
 * Measures one response window (aisynphys pulse_response_strength): baseline = float mode
 * before the pulse, peak in spike+1…+6 ms, and the same on the deconvolved trace.
 * `pulseIndex` is the pulse onset sample and `spikeTime` the spike's max-slope time, both
 * relative to the window start (s for the time).
 */
export function measureResponse(
  data: ArrayLike<number>,
  rate: number,
  pulseIndex: number,
  spikeTime: number,
  opts: MeasureOptions = {},
): ResponseStrength {
  const [w0, w1] = opts.peakWindow ?? [0.001, 0.006];
  const baseEnd = Math.max(1, pulseIndex - Math.round(50e-6 * rate));
  const baseline = floatMode(data, 0, baseEnd);
  const i0 = Math.min(data.length - 1, Math.round((spikeTime + w0) * rate));
  const i1 = Math.min(data.length, Math.round((spikeTime + w1) * rate) + 1);
  let maxI = i0;
  let minI = i0;
  for (let i = i0; i < i1; i++) {
    if (data[i]! > data[maxI]!) maxI = i;
    if (data[i]! < data[minI]!) minI = i;
  }
  if (decScratch.length < data.length) decScratch = new Float64Array(Math.max(data.length, 2 * decScratch.length));
  const dec = deconvolve(data, rate, opts.deconvolutionTau ?? 0.015, opts.lowpass ?? 1000, decScratch);
  const decBase = median(dec.subarray(0, baseEnd));
  // The deconvolved PSP peaks during the rise, earlier than the raw peak.
  const d0 = Math.min(dec.length - 1, Math.round((spikeTime + 0.0005) * rate));
  const d1 = Math.min(dec.length, Math.round((spikeTime + w1 - 0.001) * rate) + 1);
  let dMax = -Infinity;
  let dMin = Infinity;
  let dSum = 0;
  for (let i = d0; i < d1; i++) {
    const x = dec[i]! - decBase;
    dSum += x;
    if (x > dMax) dMax = x;
    if (x < dMin) dMin = x;
  }
  const n200 = Math.max(1, Math.round(200e-6 * rate));
  const crosstalk =
    median(span(data, pulseIndex, pulseIndex + n200)) - median(span(data, Math.max(0, pulseIndex - n200), pulseIndex));
  return {
    baseline,
    posAmp: data[maxI]! - baseline,
    negAmp: data[minI]! - baseline,
    posLatency: maxI / rate - spikeTime,
    negLatency: minI / rate - spikeTime,
    decPosAmp: dMax,
    decNegAmp: dMin,
    decMeanAmp: d1 > d0 ? dSum / (d1 - d0) : 0,
    crosstalk: Number.isFinite(crosstalk) ? crosstalk : 0,
    templateAmp: opts.template
      ? templateAmplitude(
          data,
          rate,
          spikeTime,
          pspShape(opts.template.riseTime, opts.template.decayTau),
          opts.template.latency,
        )
      : templateAmplitude(data, rate, spikeTime),
  };
}

const TEMPLATE = pspShape(2e-3, 20e-3);

/** The deconvolved window, reused from one measure to the next (it never leaves measureResponse). */
let decScratch = new Float64Array(2048);

/** LS solve of y = b0 + b1·t + a·k(t − 1.75 ms) around the spike; returns a. */
export function templateAmplitude(
  data: ArrayLike<number>,
  rate: number,
  spikeTime: number,
  template = TEMPLATE,
  latency = 1.75e-3,
): number {
  const i0 = Math.max(0, Math.round((spikeTime - 0.004) * rate));
  const i1 = Math.min(data.length, Math.round((spikeTime + 0.008) * rate));
  // Accumulate the 3×3 normal equations.
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s11 = 0,
    s12 = 0,
    s22 = 0,
    y0 = 0,
    y1 = 0,
    y2 = 0;
  for (let i = i0; i < i1; i++) {
    const t = i / rate - spikeTime;
    const k = pspValue(template, t - latency);
    const y = data[i]!;
    s00 += 1;
    s01 += t;
    s02 += k;
    s11 += t * t;
    s12 += t * k;
    s22 += k * k;
    y0 += y;
    y1 += t * y;
    y2 += k * y;
  }
  // Cramer's rule for the amplitude (third unknown).
  const det = s00 * (s11 * s22 - s12 * s12) - s01 * (s01 * s22 - s12 * s02) + s02 * (s01 * s12 - s11 * s02);
  if (!Number.isFinite(det) || Math.abs(det) < 1e-300) return 0;
  const detA = s00 * (s11 * y2 - y1 * s12) - s01 * (s01 * y2 - y1 * s02) + y0 * (s01 * s12 - s11 * s02);
  return detA / det;
}
