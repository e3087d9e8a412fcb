/**
 * Small statistics kit: descriptive stats, Welch t-test, two-sample KS test, checked against
 * scipy 1.17 (test/fixtures/scipy-stats.json). Hand-written because npm has no two-sample KS
 * with scipy's exact p (@stdlib/stats-kstest is one-sample only), and @stdlib/stats-ttest2
 * returns NaN for two constant samples and computes confidence intervals on every call.
 */

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return x.length ? s / x.length : Number.NaN;
}

export function stdev(x: ArrayLike<number>): number {
  if (x.length < 2) return Number.NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

/** A stretch of samples: a view on typed arrays (no copy), a slice of plain arrays. */
export function span(x: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return ArrayBuffer.isView(x)
    ? (x as unknown as Float64Array).subarray(from, to)
    : (Array.prototype.slice.call(x, from, to) as number[]);
}

export function median(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  // A reused scratch buffer, not a new array per call: median runs three times per response window.
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const s = scratch;
  s.set(x);
  const h = n >> 1;
  // NaN has no order for selection; keep the sort's answer (NaNs sort last) for such input.
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(s[i]!)) {
      const sorted = s.subarray(0, n).sort();
      return n % 2 ? sorted[h]! : 0.5 * (sorted[h - 1]! + sorted[h]!);
    }
  }
  // Selection, not a full sort: the same order statistics in linear time.
  select(s, n, h);
  if (n % 2) return s[h]!;
  let below = -Infinity;
  for (let i = 0; i < h; i++) if (s[i]! > below) below = s[i]!;
  return 0.5 * (below + s[h]!);
}

let scratch = new Float64Array(1024);

/** Hoare quickselect on s[0, n): afterwards s[k] is the k-th smallest and everything before it is ≤ s[k]. */
function select(s: Float64Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const pivot = s[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (s[i]! < pivot) i++;
      while (s[j]! > pivot) j--;
      if (i <= j) {
        const t = s[i]!;
        s[i++] = s[j]!;
        s[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * Mode of a continuous sample (neuroanalysis float_mode): histogram at a bin width from the
 * data's spread, then the mean of the samples in the fullest bin. A baseline that is
 * robust to PSPs and spikes riding on it, unlike the mean.
 */
export function floatMode(x: ArrayLike<number>, from = 0, to = x.length): number {
  return floatModeOf(x, [{ start: from, stop: to }]);
}

/**
 * floatMode of the samples of several stretches of x taken together: the same value as
 * floatMode of their concatenation, without building it.
 */
export function floatModeOf(x: ArrayLike<number>, spans: readonly { start: number; stop: number }[]): number {
  let n = 0;
  for (const w of spans) n += Math.max(0, w.stop - w.start);
  if (n <= 0) return Number.NaN;
  if (n < 8) return median(spans.flatMap((w) => Array.prototype.slice.call(x, w.start, w.stop) as number[]));
  let lo = Infinity;
  let hi = -Infinity;
  for (const { start, stop } of spans)
    for (let i = start; i < stop; i++) {
      const v = x[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (hi === lo) return lo;
  const bins = Math.max(4, Math.min(200, Math.round(Math.sqrt(n))));
  const width = (hi - lo) / bins;
  const counts = new Int32Array(bins);
  for (const { start, stop } of spans)
    for (let i = start; i < stop; i++) counts[Math.min(bins - 1, Math.floor((x[i]! - lo) / width))]!++;
  let best = 0;
  for (let b = 1; b < bins; b++) if (counts[b]! > counts[best]!) best = b;
  // Average the fullest bin and its neighbours, weighted by count, for a smoother estimate.
  let s = 0;
  let c = 0;
  for (let b = Math.max(0, best - 1); b <= Math.min(bins - 1, best + 1); b++) {
    s += counts[b]! * (lo + (b + 0.5) * width);
    c += counts[b]!;
  }
  return s / c;
}

export interface TestResult {
  statistic: number;
  p: number;
}

/**
 * Welch's unequal-variance t-test, two-sided, as scipy's ttest_ind(equal_var=False). Two
 * constant samples with different values give t = ±∞ and p = 0 as there; identical
 * constant samples give t = 0 and p = 1 (scipy: NaN), i.e. no evidence of a difference.
 */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>): TestResult {
  if (a.length < 2 || b.length < 2) return { statistic: Number.NaN, p: 1 };
  const va = stdev(a) ** 2 / a.length;
  const vb = stdev(b) ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  const diff = mean(a) - mean(b);
  if (se === 0) return diff === 0 ? { statistic: 0, p: 1 } : { statistic: diff * Infinity, p: 0 };
  const t = diff / se;
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { statistic: t, p: studentTwoSidedP(t, df) };
}

/** Two-sided p of Student's t via the regularised incomplete beta function. */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / 2, 0.5, df / (df + t * t));
}

/** Beyond this sample size scipy's method='auto' leaves the exact distribution. */
const KS_EXACT_MAX_N = 10000;

/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, with scipy's default p (ks_2samp,
 * method='auto'): the exact distribution of D when both samples have at most 10 000 values,
 * else an asymptotic one. NaN has no place in an empirical distribution: refused.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): TestResult {
  refuseNaN(a, 'first');
  refuseNaN(b, 'second');
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return { statistic: Number.NaN, p: 1 };
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < n && x[i]! <= v) i++;
    while (j < m && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return { statistic: d, p: ksTwoSidedP(n, m, d) };
}

function refuseNaN(x: ArrayLike<number>, which: string): void {
  for (let i = 0; i < x.length; i++)
    if (Number.isNaN(x[i]!))
      throw new RangeError(
        `ksTwoSample: the ${which} sample has NaN at index ${i} (of ${x.length}); drop missing values first`,
      );
}

/** P(D ≥ d) under H0 for sample sizes n and m. */
export function ksTwoSidedP(n: number, m: number, d: number): number {
  if (Math.max(n, m) <= KS_EXACT_MAX_N) {
    const g = gcd(n, m);
    // D only takes values h / lcm(n, m); round away the float error of |i/n − j/m|.
    const h = Math.round((d * n * m) / g);
    if (h === 0) return 1;
    const p = n === m ? ksEqualSizesP(n, h) : ksLatticeP(n, m, g, h);
    if (p >= 0 && p <= 1) return p;
  }
  // Deviation: scipy uses kstwo.sf(d, round(nm/(n+m))) here; this is Stephens' corrected
  // Kolmogorov series, within 3e-3 of it where checked (10 001–20 000 against 10–11 000 values);
  // a pair's responses never come near this size.
  const en = Math.sqrt((n * m) / (n + m));
  return kolmogorovQ((en + 0.12 + 0.11 / en) * d);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * n = m: P = 2 Σ_k (−1)^{k−1} C(2n, n−kh) / C(2n, n), the reflection-principle sum. Each
 * ratio of consecutive terms is a product of h factors, so it is summed Horner-style,
 * 2·a1·(1 − a2·(1 − a3·(…))), without the cancellation of the alternating sum.
 */
function ksEqualSizesP(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = (ratio * (n - k * h - j)) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * n ≠ m: the share of monotone lattice paths from (0, 0) to (big, small) that touch the band
 * edge |x·small/g − y·big/g| ≥ h (Hodges 1958), as the probability q(x, y) that a random path
 * to (x, y) has touched it: q = 1 outside, q(x, y) = (x·q(x−1, y) + y·q(x, y−1)) / (x + y)
 * inside (Viehmann 2021, arXiv:2102.08037). Every value stays in [0, 1]: no overflow, no
 * cancellation. One column, updated only inside the band, which moves up with x.
 */
function ksLatticeP(n: number, m: number, g: number, h: number): number {
  const big = Math.max(n, m);
  const small = Math.min(n, m);
  const bigG = big / g;
  const smallG = small / g;
  // Inside the band at column x: lo(x) ≤ y < hi(x).
  const lo = (x: number) => Math.max(0, Math.floor((smallG * x - h) / bigG) + 1);
  const hi = (x: number) => Math.min(small + 1, Math.ceil((smallG * x + h) / bigG));
  const q = new Float64Array(small + 1).fill(1);
  q.fill(0, 0, hi(0));
  let prevLo = 0;
  for (let x = 1; x <= big; x++) {
    const from = Math.min(lo(x), small);
    const to = hi(x);
    if (to <= from) return 1;
    q.fill(1, prevLo, from);
    for (let y = from; y < to; y++) q[y] = (x * q[y]! + (y > 0 ? y * q[y - 1]! : 0)) / (x + y);
    prevLo = from;
  }
  return q[small]!;
}

/** Q_KS(λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²}. */
function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = sign * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Regularised incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4). */
export function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(b, a, 1 - x);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return (Math.exp(lnFront) * f) / a;
}

/** Lanczos approximation of ln Γ(x). */
export function logGamma(x: number): number {
  const g = [
    676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = 0.99999999999980993;
  const t = x + 7.5;
  for (let i = 0; i < 8; i++) a += g[i]! / (x + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * aisynphys' bounded evidence from a p-value: ln(1 − ln p), capped at 7. The cap binds only
 * where p underflows to 0 (there ln p = −∞), as with scipy's p-values in aisynphys; the
 * smallest positive double gives ln(1 + 744.4) = 6.61.
 */
export function pEvidence(p: number): number {
  return Math.min(7, Math.log(1 - Math.log(p)));
}
