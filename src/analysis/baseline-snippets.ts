import { createHash } from 'node:crypto';
import type { Window } from './windows.js';

/**
 * Matches each response to an unused quiet chunk, shuffled deterministically with a seed
 * from SHA-1 of "experiment sweep pre post" (as aisynphys does), so re-running a job picks
 * the same background. Returns the chunk index per response, or -1 when chunks ran out
 * or none passes `accept`.
 */
export function assignBaselines(
  responses: number,
  chunks: Window[],
  key: string,
  accept: (chunk: number) => boolean = () => true,
): number[] {
  const order = shuffled(chunks.length, seedOf(key));
  const out: number[] = [];
  let next = 0;
  for (let r = 0; r < responses; r++) {
    while (next < order.length && !accept(order[next]!)) next++;
    out.push(next < order.length ? order[next++]! : -1);
  }
  return out;
}

export function seedOf(key: string): number {
  return createHash('sha1').update(key).digest().readUInt32BE(0);
}

/** Fisher–Yates with a 32-bit xorshift: tiny, deterministic, good enough for picking snippets. */
function shuffled(n: number, seed: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  let s = seed || 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
