import erfc from '@stdlib/math-base-special-erfc';
import { nelderMead } from './nelder-mead.js';
import { median } from './stats.js';

/**
 * Detection power: how likely a pair's connection would have been found had it been connected.
 *
 * The detection score is |Welch t| of template amplitudes, foreground vs background. A connection
 * shifting the mean template amplitude by A scores about A / SEw + N(0, 1), where SEw² = SE² +
 * c²A²/n: SE is the pair's noise over its n responses, c the connection's own response-to-response
 * variability (release failures, which cap the score of a strong but unreliable synapse). A small
 * connection on a noisy pair is missed, so a count of found connections is low by the missed
 * share. The correction needs the distribution of A over connections, which the found ones show
 * only above their pairs' limits: it is fitted here by maximum likelihood as a log-normal, each
 * found connection's observed shift counted with the probability of its being found (a
 * truncated, noisy sample), with c² the found connections' median. A pair's power is then the
 * share of that distribution its SE and n would detect. aisynphys corrects its connectivity fits
 * the same way (a per-pair detection-power variable, correction parameters per presynaptic sign);
 * this estimates those parameters from the data in hand. Measured on simulated sets in
 * docs/science.md ("Detection power").
 */

export interface FoundConnection {
  /** |foreground − background| mean template amplitude. */
  shift: number;
  /** Its detection score (|Welch t|). */
  score: number;
  /** Standard error of the shift from the pair's noise alone. */
  se: number;
  /** Responses (foreground samples) the score used. */
  n: number;
}

export interface ShiftDistribution {
  /** Log-normal of the shift over connections: ln(shift) ~ N(mu, s²). */
  mu: number;
  s: number;
  /** c²: a connection's response-to-response variance over its squared mean shift (median of the found). */
  variability: number;
  /** Found connections it was fitted to. */
  n: number;
}

/** The log-normal's s is searched within this range: narrower is a point mass, wider has no median. */
const S_RANGE: [number, number] = [0.15, 2.5];
/** Grid over ln(shift), in units of s either side of mu. */
const GRID_HALF_WIDTH = 5;
const GRID_POINTS = 161;

const SQRT2 = Math.SQRT2;
const normalCdf = (z: number) => 0.5 * erfc(-z / SQRT2);
const normalPdf = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** Gauss–normal quadrature nodes over ln(shift): weights sum to 1 (trapezoid on ±5 s). */
function grid(dist: Pick<ShiftDistribution, 'mu' | 's'>): { shift: Float64Array; weight: Float64Array } {
  const shift = new Float64Array(GRID_POINTS);
  const weight = new Float64Array(GRID_POINTS);
  const step = (2 * GRID_HALF_WIDTH) / (GRID_POINTS - 1);
  let total = 0;
  for (let k = 0; k < GRID_POINTS; k++) {
    const z = -GRID_HALF_WIDTH + k * step;
    shift[k] = Math.exp(dist.mu + dist.s * z);
    weight[k] = normalPdf(z) * (k === 0 || k === GRID_POINTS - 1 ? 0.5 : 1);
    total += weight[k]!;
  }
  for (let k = 0; k < GRID_POINTS; k++) weight[k]! /= total;
  return { shift, weight };
}

/** The score's denominator for a connection of this shift on a pair of this noise and count. */
const scoreSe = (shift: number, se: number, n: number, variability: number) =>
  Math.sqrt(se * se + (variability * shift * shift) / n);

function powerOn(nodes: ReturnType<typeof grid>, se: number, n: number, variability: number, threshold: number) {
  let p = 0;
  for (let k = 0; k < GRID_POINTS; k++) {
    const a = nodes.shift[k]!;
    p += nodes.weight[k]! * normalCdf(a / scoreSe(a, se, n, variability) - threshold);
  }
  return p;
}

/**
 * Probability that a connection drawn from `dist` scores at least `threshold` on a pair with
 * this noise SE and response count. 1 without a distribution or an SE (nothing to correct with).
 */
export function detectionPower(
  dist: ShiftDistribution | null,
  se: number | null,
  n: number,
  threshold: number,
): number {
  if (!dist || se === null || !(se > 0) || !(n >= 2)) return 1;
  return powerOn(grid(dist), se, n, dist.variability, threshold);
}

/**
 * Maximum-likelihood log-normal of connection shifts from the found connections: each observed
 * shift's density (the log-normal blurred by its pair's SE) over that pair's detection power.
 * Null with fewer than `minFound` connections (the tail alone cannot place the distribution).
 */
export function fitShiftDistribution(
  found: FoundConnection[],
  threshold: number,
  minFound = 10,
): ShiftDistribution | null {
  const usable = found.filter((f) => f.se > 0 && f.n >= 2 && f.shift > 0 && f.score > 0 && Number.isFinite(f.shift));
  if (usable.length < minFound) return null;
  // c² from each found connection's score denominator beyond its noise: n·(SEw² − SE²)/shift².
  const variability = Math.max(
    0,
    median(usable.map((f) => (f.n * ((f.shift / f.score) ** 2 - f.se * f.se)) / (f.shift * f.shift))),
  );
  const logs = usable.map((f) => Math.log(f.shift));
  const m0 = logs.reduce((a, b) => a + b, 0) / logs.length;
  const s0 = Math.sqrt(logs.reduce((a, b) => a + (b - m0) ** 2, 0) / logs.length) || 0.5;
  const unpack = ([a, b]: number[]) => ({
    mu: a!,
    s: S_RANGE[0] + (S_RANGE[1] - S_RANGE[0]) / (1 + Math.exp(-b!)),
  });
  const toB = (s: number) => {
    const u = (Math.min(S_RANGE[1] - 1e-6, Math.max(S_RANGE[0] + 1e-6, s)) - S_RANGE[0]) / (S_RANGE[1] - S_RANGE[0]);
    return Math.log(u / (1 - u));
  };
  const nll = (x: number[]) => {
    const nodes = grid(unpack(x));
    let sum = 0;
    for (const f of usable) {
      // The observed shift's density: the log-normal blurred by the score's denominator at each shift.
      let density = 0;
      for (let k = 0; k < GRID_POINTS; k++) {
        const sd = scoreSe(nodes.shift[k]!, f.se, f.n, variability);
        density += (nodes.weight[k]! * normalPdf((f.shift - nodes.shift[k]!) / sd)) / sd;
      }
      const power = powerOn(nodes, f.se, f.n, variability, threshold);
      sum -= Math.log(Math.max(1e-300, density)) - Math.log(Math.max(1e-300, power));
    }
    return sum;
  };
  // The found shifts sit above the limits, so the distribution's centre is at or below theirs.
  let best = { x: [m0, toB(s0)], value: Infinity };
  for (const start of [best.x, [m0 - s0, toB(s0 * 1.5)], [m0 - 2 * s0, toB(s0 * 2)]]) {
    const r = nelderMead(nll, start, [0.4, 0.5], 600, 1e-10);
    if (r.value < best.value) best = r;
  }
  return { ...unpack(best.x), variability, n: usable.length };
}
