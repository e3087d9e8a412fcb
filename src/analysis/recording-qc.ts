import { floatModeOf, span, stdev } from './stats.js';
import type { Window } from './windows.js';

export interface RecordingQc {
  /** Float mode of the quiet samples (V). */
  baselinePotential: number;
  /** Median over quiet chunks of each chunk's SD (V): robust to the few chunks a spontaneous PSP hits. */
  noiseSd: number;
  pass: boolean;
  reasons: string[];
}

/**
 * Current-clamp recording QC (aisynphys patch_clamp_recording): baseline potential within
 * −85…−45 mV, noise below 5 mV, not mostly zeros. Measured on quiet chunks only.
 */
export function recordingQc(v: ArrayLike<number>, quiet: Window[]): RecordingQc {
  // The quiet samples are never gathered into one buffer: the mode and SDs read them in place.
  const sds: number[] = [];
  let total = 0;
  for (const w of quiet) {
    total += w.stop - w.start;
    sds.push(stdev(span(v, w.start, w.stop)));
  }
  const reasons: string[] = [];
  if (total === 0)
    return { baselinePotential: Number.NaN, noiseSd: Number.NaN, pass: false, reasons: ['no quiet period'] };
  const baselinePotential = floatModeOf(v, quiet);
  // Median of per-chunk SDs: spontaneous PSPs inflate a few chunks, not the typical one.
  const noiseSd = sds.sort((a, b) => a - b)[sds.length >> 1]!;
  let zeros = 0;
  for (let i = 0; i < v.length; i++) if (v[i] === 0) zeros++;
  if (baselinePotential < -0.085 || baselinePotential > -0.045)
    reasons.push(`baseline ${(baselinePotential * 1e3).toFixed(1)} mV outside -85..-45 mV`);
  if (noiseSd > 0.005) reasons.push(`noise ${(noiseSd * 1e3).toFixed(2)} mV > 5 mV`);
  if (zeros > 0.1 * v.length) reasons.push('more than 10 % of samples are zero');
  return { baselinePotential, noiseSd, pass: reasons.length === 0, reasons };
}
