import { span, stdev } from './stats.js';

export interface ResponseQc {
  exPass: boolean;
  inPass: boolean;
  reasons: string[];
}

export interface ResponseQcOptions {
  /** Allowed baseline potential for excitatory / inhibitory analysis (V). */
  exRange?: [number, number];
  /**
   * aisynphys uses −60…−50 mV for inhibitory responses because its cells are held near −55 mV.
   * Cells at rest (−75…−60 mV) still show IPSPs, so the default is the excitatory range.
   */
  inRange?: [number, number];
}

/**
 * Per-response QC (aisynphys qc.py, current clamp): a spike, no other pulse within 8 ms
 * before, quiet first 5 ms (SD < 1.5 mV), no depolarisation above −40 mV, |Δ| < 10 mV, and
 * the baseline within range.
 */
export function responseQc(
  data: ArrayLike<number>,
  rate: number,
  baseline: number,
  hasSpike: boolean,
  previousPulseDt: number,
  recordingPass: boolean,
  opts: ResponseQcOptions = {},
): ResponseQc {
  const reasons: string[] = [];
  if (!recordingPass) reasons.push('recording failed QC');
  if (!hasSpike) reasons.push('no presynaptic spike');
  if (previousPulseDt < 0.008) reasons.push('pulse within 8 ms before');
  const n5 = Math.min(data.length, Math.round(0.005 * rate));
  if (stdev(span(data, 0, n5)) > 1.5e-3) reasons.push('noisy pre-pulse baseline');
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < data.length; i++) {
    max = Math.max(max, data[i]!);
    min = Math.min(min, data[i]!);
  }
  if (max > -0.04) reasons.push('depolarised above -40 mV');
  if (max - baseline > 0.01 || baseline - min > 0.01) reasons.push('deflection > 10 mV');
  const ex = opts.exRange ?? [-0.085, -0.045];
  const inh = opts.inRange ?? ex;
  const ok = reasons.length === 0;
  const exPass = ok && baseline >= ex[0] && baseline <= ex[1];
  const inPass = ok && baseline >= inh[0] && baseline <= inh[1];
  if (ok && !exPass && !inPass) reasons.push('baseline potential out of range');
  return { exPass, inPass, reasons };
}
