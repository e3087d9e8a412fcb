import type { MeasureOptions } from './response-measure.js';
import type { ResponseQc } from './response-qc.js';
import type { SquarePulse } from './square-pulses.js';
import { floatMode, span, stdev } from './stats.js';
import type { Window } from './windows.js';

/**
 * Voltage-clamp analysis: the recording is a current (A) and the command a potential (V), so
 * none of current clamp's potential ranges, spike logic or mV thresholds apply.
 */

/** aisynphys patch_clamp_recording (VC): |holding current| ≤ 800 pA, noise ≤ 200 pA; plus access ≤ 40 MΩ. */
export const VC_QC = { maxHoldingCurrent: 800e-12, maxNoise: 200e-12, maxAccessResistance: 40e6 } as const;
/** aisynphys pulse_response QC (VC): pre-window SD < 15 pA, deflection < 500 pA. */
export const VC_RESPONSE_QC = { maxPreSd: 15e-12, maxDeflection: 500e-12 } as const;

/**
 * Response measures in voltage clamp: deconvolution τ 5 ms (aisynphys' VC value) and a PSC
 * template (rise 1.2 ms, decay 8 ms) for the matched filter; peak search as in current clamp.
 */
export const VC_MEASURE: Required<MeasureOptions> = {
  peakWindow: [0.001, 0.006],
  deconvolutionTau: 0.005,
  lowpass: 1000,
  template: { latency: 1.75e-3, riseTime: 1.2e-3, decayTau: 8e-3 },
};

export interface VcTestPulse {
  /** ΔV over the peak of the capacitive transient (Ω). */
  accessResistance: number;
  /** ΔV over the steady current step, minus access (Ω). */
  inputResistance: number;
}

/** Access and input resistance from a voltage step: the transient's peak and the last 10 ms' mean. */
export function fitVcTestPulse(i: ArrayLike<number>, rate: number, pulse: SquarePulse): VcTestPulse | null {
  const pre = Math.round(0.01 * rate);
  const tail = Math.round(0.01 * rate);
  if (pulse.start - pre < 0 || pulse.stop > i.length || pulse.stop - pulse.start < 2 * tail) return null;
  const base = floatMode(i, pulse.start - pre, pulse.start);
  let peak = 0;
  for (let k = pulse.start; k < pulse.start + Math.round(0.001 * rate); k++)
    if (Math.abs(i[k]! - base) > Math.abs(peak)) peak = i[k]! - base;
  const steady = mean(span(i, pulse.stop - tail, pulse.stop)) - base;
  const dv = pulse.amplitude;
  if (!(Math.abs(peak) > 0) || !(Math.abs(steady) > 0)) return null;
  const accessResistance = dv / peak;
  return { accessResistance, inputResistance: dv / steady - accessResistance };
}

export interface VcRecordingQc {
  /** The command's holding level (V): the potential the cell is held at. */
  holdingPotential: number;
  /** Float mode of the quiet current (A). */
  baselineCurrent: number;
  /** Median over quiet chunks of each chunk's SD (A). */
  noiseSd: number;
  pass: boolean;
  reasons: string[];
}

/** Voltage-clamp recording QC on the quiet chunks: holding current, current noise, access, zeros. */
export function vcRecordingQc(
  current: ArrayLike<number>,
  command: ArrayLike<number>,
  quiet: Window[],
  testPulse: VcTestPulse | null,
): VcRecordingQc {
  const holdingPotential = command.length ? command[0]! : Number.NaN;
  const sds = quiet.map((w) => stdev(span(current, w.start, w.stop))).sort((a, b) => a - b);
  if (sds.length === 0)
    return {
      holdingPotential,
      baselineCurrent: Number.NaN,
      noiseSd: Number.NaN,
      pass: false,
      reasons: ['no quiet period'],
    };
  const quietSamples = quiet.flatMap((w) => Array.from(span(current, w.start, w.stop)));
  const baselineCurrent = floatMode(quietSamples);
  const noiseSd = sds[sds.length >> 1]!;
  const reasons: string[] = [];
  if (Math.abs(baselineCurrent) > VC_QC.maxHoldingCurrent)
    reasons.push(`holding current ${(baselineCurrent * 1e12).toFixed(0)} pA beyond ±800 pA`);
  if (noiseSd > VC_QC.maxNoise) reasons.push(`noise ${(noiseSd * 1e12).toFixed(1)} pA > 200 pA`);
  if (testPulse && !(testPulse.accessResistance > 0 && testPulse.accessResistance <= VC_QC.maxAccessResistance))
    reasons.push(`access resistance ${(testPulse.accessResistance * 1e-6).toFixed(1)} MΩ outside 0..40 MΩ`);
  let zeros = 0;
  for (let k = 0; k < current.length; k++) if (current[k] === 0) zeros++;
  if (zeros > 0.1 * current.length) reasons.push('more than 10 % of samples are zero');
  return { holdingPotential, baselineCurrent, noiseSd, pass: reasons.length === 0, reasons };
}

/**
 * Per-response QC in voltage clamp (aisynphys qc.py, VC): recording passed, a presynaptic
 * spike, no pulse within 8 ms before, quiet first 5 ms (SD < 15 pA), |Δ| < 500 pA, and the
 * holding potential within the excitatory / inhibitory range.
 */
export function vcResponseQc(
  data: ArrayLike<number>,
  rate: number,
  baseline: number,
  holdingPotential: number,
  hasSpike: boolean,
  previousPulseDt: number,
  recordingPass: boolean,
  ranges: { exRange?: [number, number]; inRange?: [number, number] } = {},
): ResponseQc {
  const reasons: string[] = [];
  if (!recordingPass) reasons.push('recording failed QC');
  if (!hasSpike) reasons.push('no presynaptic spike');
  if (previousPulseDt < 0.008) reasons.push('pulse within 8 ms before');
  const n5 = Math.min(data.length, Math.round(0.005 * rate));
  if (stdev(span(data, 0, n5)) > VC_RESPONSE_QC.maxPreSd) reasons.push('noisy pre-pulse baseline (> 15 pA)');
  let max = -Infinity;
  let min = Infinity;
  for (let k = 0; k < data.length; k++) {
    max = Math.max(max, data[k]!);
    min = Math.min(min, data[k]!);
  }
  if (max - baseline > VC_RESPONSE_QC.maxDeflection || baseline - min > VC_RESPONSE_QC.maxDeflection)
    reasons.push('deflection > 500 pA');
  const ex = ranges.exRange ?? [-0.085, -0.045];
  const inh = ranges.inRange ?? ex;
  const ok = reasons.length === 0;
  const exPass = ok && holdingPotential >= ex[0] && holdingPotential <= ex[1];
  const inPass = ok && holdingPotential >= inh[0] && holdingPotential <= inh[1];
  if (ok && !exPass && !inPass) reasons.push('holding potential out of range');
  return { exPass, inPass, reasons };
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k]!;
  return x.length ? s / x.length : Number.NaN;
}
