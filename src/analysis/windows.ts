import type { SquarePulse } from './square-pulses.js';

export interface Window {
  start: number;
  /** Exclusive. */
  stop: number;
}

/** Response window: pulse onset −10 ms to +50 ms, cut at the next pulse's onset (aisynphys get_spike_responses). */
export function responseWindow(
  pulses: SquarePulse[],
  k: number,
  rate: number,
  length: number,
  pre = 0.01,
  post = 0.05,
): Window {
  const p = pulses[k]!;
  const next = pulses[k + 1]?.start ?? Infinity;
  return {
    start: Math.max(0, p.start - Math.round(pre * rate)),
    stop: Math.min(length, p.start + Math.round(post * rate), next),
  };
}

/**
 * Quiet stretches for background snippets: not inside any channel's pulse or the 100 ms
 * after it, cut into back-to-back chunks of `chunk` seconds.
 */
export function quietChunks(busy: Window[], length: number, rate: number, chunk = 0.02, settle = 0.1): Window[] {
  const blocked = new Uint8Array(length);
  for (const b of busy) blocked.fill(1, Math.max(0, b.start), Math.min(length, b.stop + Math.round(settle * rate)));
  const size = Math.round(chunk * rate);
  const out: Window[] = [];
  let run = 0;
  for (let i = 0; i < length; i++) {
    run = blocked[i] ? 0 : run + 1;
    if (run === size) {
      out.push({ start: i - size + 1, stop: i + 1 });
      run = 0;
    }
  }
  return out;
}
