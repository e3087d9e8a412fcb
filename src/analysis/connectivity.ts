import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import { nelderMead } from './nelder-mead.js';

/** Exact (Clopper–Pearson) two-sided interval of a binomial proportion k/n, as aisynphys reports it. */
export function clopperPearson(k: number, n: number, confidence = 0.95): [number, number] {
  if (n === 0) return [0, 1];
  const alpha = 1 - confidence;
  const low = k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1);
  const high = k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k);
  return [low, high];
}

export interface ProbedPair {
  distance: number;
  connected: boolean;
  /** Probability that a connection here would have been detected (1 = perfect detection; see detection-power.ts). */
  power?: number;
}

export interface GaussianFit {
  pmax: number;
  sigma: number;
  /** 95 % intervals from the observed Fisher information (Wald, on the fitted scale; pmax clipped to 0–1). */
  pmaxCi: [number, number];
  sigmaCi: [number, number];
  logLikelihood: number;
}

const Z95 = 1.959963984540054;

/**
 * Maximum-likelihood fit of p(d) = pmax·exp(−d²/2σ²) to probed pairs (Bernoulli per pair), as
 * aisynphys' distance-adjusted connectivity; with a pair's detection power w the chance of a found
 * connection there is w·p(d), as aisynphys' CorrectionModel. Null when nothing is connected (σ is
 * then undetermined).
 */
export function fitGaussianConnectivity(
  pairs: ProbedPair[],
  sigmaRange: [number, number] = [10, 1000],
): GaussianFit | null {
  const connected = pairs.filter((p) => p.connected).length;
  if (connected === 0 || pairs.length < 2) return null;
  const nll = (pmax: number, sigma: number) => {
    let sum = 0;
    for (const { distance, connected, power = 1 } of pairs) {
      const p = Math.min(
        1 - 1e-12,
        Math.max(1e-300, pmax * power * Math.exp(-(distance * distance) / (2 * sigma * sigma))),
      );
      sum -= connected ? Math.log(p) : Math.log1p(-p);
    }
    return sum;
  };
  // Searched on logit(pmax) and log σ so the bounds hold; σ beyond the range is clamped.
  const unpack = ([a, b]: number[]) =>
    [1 / (1 + Math.exp(-a!)), Math.min(sigmaRange[1], Math.max(sigmaRange[0], Math.exp(b!)))] as const;
  const expected = pairs.reduce((sum, p) => sum + (p.power ?? 1), 0);
  const p0 = Math.min(0.9, Math.max(0.05, connected / Math.max(expected, connected)));
  const mean = pairs.reduce((s, p) => s + p.distance, 0) / pairs.length;
  let best = { x: [Math.log(p0 / (1 - p0)), Math.log(Math.max(sigmaRange[0], mean))], value: Infinity };
  for (const start of [best.x, [best.x[0]! + 1, best.x[1]! - 0.5], [best.x[0]! - 0.5, best.x[1]! + 0.7]]) {
    const r = nelderMead((x) => nll(...unpack(x)), start, [0.5, 0.3], 800, 1e-12);
    if (r.value < best.value) best = r;
  }
  const [pmax, sigma] = unpack(best.x);
  const [sePmax, seSigma] = waldSe(pairs, pmax, sigma);
  return {
    pmax,
    sigma,
    pmaxCi: [Math.max(0, pmax - Z95 * sePmax), Math.min(1, pmax + Z95 * sePmax)],
    sigmaCi: [Math.max(0, sigma - Z95 * seSigma), sigma + Z95 * seSigma],
    logLikelihood: -best.value,
  };
}

/** Standard errors from the inverse of the observed information (analytic second derivatives of the log-likelihood). */
function waldSe(pairs: ProbedPair[], pmax: number, sigma: number): [number, number] {
  // p = pmax·g, g = w·exp(−d²/2σ²) with w the pair's detection power; ∂p/∂pmax = g, ∂p/∂σ = p·d²/σ³.
  let hpp = 0;
  let hps = 0;
  let hss = 0;
  for (const { distance: d, connected, power = 1 } of pairs) {
    const g = power * Math.exp(-(d * d) / (2 * sigma * sigma));
    const p = Math.min(1 - 1e-9, pmax * g);
    const dp = [g, (p * d * d) / sigma ** 3];
    const d2ps = (g * d * d) / sigma ** 3; // ∂²p/∂pmax∂σ
    const d2ss = p * (d ** 4 / sigma ** 6 - (3 * d * d) / sigma ** 4); // ∂²p/∂σ²
    // ℓ = y log p + (1−y) log(1−p): ∂ℓ/∂p = y/p − (1−y)/(1−p), ∂²ℓ/∂p² = −y/p² − (1−y)/(1−p)².
    const l1 = connected ? 1 / p : -1 / (1 - p);
    const l2 = connected ? -1 / (p * p) : -1 / ((1 - p) * (1 - p));
    hpp += l2 * dp[0]! * dp[0]!;
    hps += l2 * dp[0]! * dp[1]! + l1 * d2ps;
    hss += l2 * dp[1]! * dp[1]! + l1 * d2ss;
  }
  // Observed information I = −H; its inverse gives the variances.
  const a = -hpp;
  const b = -hps;
  const c = -hss;
  const det = a * c - b * b;
  if (!(det > 0)) return [Number.NaN, Number.NaN];
  return [Math.sqrt(c / det), Math.sqrt(a / det)];
}
