import { lowpass } from './filters.js';
import { span } from './stats.js';
import type { SquarePulse } from './square-pulses.js';

export interface EvokedSpike {
  /** Sample index where d²V/dt² first crossed threshold. */
  onsetIndex: number;
  /** Time (s, from trace start) of the steepest rise: the alignment point for responses. */
  maxSlopeTime: number;
  maxSlope: number;
  peakTime: number;
  peakValue: number;
}

export interface SpikeDetectionOptions {
  /** d²V/dt² threshold (V/s²); aisynphys uses 40e3. */
  d2Threshold?: number;
  /** Minimum peak dV/dt (V/s); 30 mV/ms. */
  minSlope?: number;
}

/**
 * One current-clamp spike evoked by a pulse (after neuroanalysis detect_ic_evoked_spikes):
 * search from pulse onset −2 ms to pulse end +4 ms (stopping at the next pulse), with the
 * pulse edges masked so stimulus artifacts do not count. The steepest rise must exceed
 * 30 mV/ms; the onset is where d²V/dt² (on a 5 kHz low-passed copy, as raw d²V of white
 * noise alone exceeds 40e3 V/s² at 20 kHz) last crossed its threshold before that.
 */
export function detectEvokedSpike(
  v: ArrayLike<number>,
  rate: number,
  pulse: SquarePulse,
  nextPulseStart = Infinity,
  opts: SpikeDetectionOptions = {},
): EvokedSpike | null {
  const d2Threshold = opts.d2Threshold ?? 40e3;
  const minSlope = opts.minSlope ?? 30;
  const from = Math.max(1, pulse.start - Math.round(0.002 * rate));
  const to = Math.min(v.length - 1, pulse.stop + Math.round(0.004 * rate), nextPulseStart);
  if (to - from < 4) return null;
  const edge = Math.max(1, Math.round(0.0001 * rate));
  const masked = (i: number): boolean => Math.abs(i - pulse.start) <= edge || Math.abs(i - pulse.stop) <= edge;
  let best = -1;
  let bestSlope = -Infinity;
  for (let i = from; i < to; i++) {
    if (masked(i)) continue;
    const slope = (v[i + 1]! - v[i - 1]!) * 0.5 * rate;
    if (slope > bestSlope) {
      bestSlope = slope;
      best = i;
    }
  }
  if (best < 0 || bestSlope < minSlope) return null;
  // A view, not a plain-array slice of a typed trace: lowpass copies it into its own buffer.
  const chunk = lowpass(span(v, from - 1, to + 1), rate, Math.min(5000, rate / 4));
  let onset = best;
  for (let i = best - 1; i > from; i--) {
    const c = i - from + 1;
    const d2 = (chunk[c + 1]! - 2 * chunk[c]! + chunk[c - 1]!) * rate * rate;
    if (d2 < d2Threshold) break;
    onset = i;
  }
  let peak = best;
  while (peak + 1 < v.length && v[peak + 1]! >= v[peak]!) peak++;
  return {
    onsetIndex: onset,
    maxSlopeTime: best / rate,
    maxSlope: bestSlope,
    peakTime: peak / rate,
    peakValue: v[peak]!,
  };
}
