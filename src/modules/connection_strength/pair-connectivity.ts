import {
  fitCurves,
  fitPsp,
  type FitEvent,
  type FitSegment,
  type PspFit,
  type PspFitInput,
} from '../../analysis/psp-fit.js';
import type { ResponseQc } from '../../analysis/response-qc.js';
import type { ResponseStrength } from '../../analysis/response-measure.js';
import { ksTwoSample, mean, pEvidence, stdev, welchTTest } from '../../analysis/stats.js';

/** One presynaptic pulse's response in the postsynaptic cell, as the dataset and pulse_response steps produce it. */
export interface PairResponse {
  sweep: number;
  /** Position of the pulse in its train (0 = first). */
  pulseNumber: number;
  /** Window start and presynaptic spike time, seconds from sweep start. */
  windowStart: number;
  spikeTime: number;
  data: ArrayLike<number>;
  strength: ResponseStrength;
  /** The matched quiet snippet measured the same way, if one was available. */
  background: ResponseStrength | null;
  qc: ResponseQc;
}

export interface FgBgStats {
  mean: number;
  stdev: number;
  baseMean: number;
  baseStdev: number;
  /** Welch t-test and KS p-values, foreground vs background. */
  ttestP: number;
  ksP: number;
}

export interface PairConnectivity {
  nResponses: number;
  nBackground: number;
  synapseType: 'ex' | 'in';
  /** Signed KS evidence summed over measures; > 0 means excitatory. */
  signEvidence: number;
  /** Larger = more evidence for a synapse; see docs/science.md. */
  detectionScore: number;
  /**
   * The standard error of the foreground − background template amplitude difference that this
   * pair's noise alone gives (V, or A in voltage clamp): a weak connection shifting the template
   * amplitude by k·SE scores about k, so this sets the pair's detection power (what
   * `connectivity` corrects for). A connection's own variability adds to the score's denominator.
   */
  detectionSe: number;
  /** |foreground − background| mean template amplitude (V, or A), the score's numerator. */
  detectionShift: number;
  /** Alternative scores kept for diagnostics (|t| of deconvolved mean and of raw template amplitude). */
  scores: Record<string, number>;
  amp: FgBgStats;
  decAmp: FgBgStats;
  latency: FgBgStats;
  decMean: FgBgStats;
  crosstalkMean: number;
  baseCrosstalkMean: number;
  /** Fit of the pulse-aligned average train; amplitude is the first pulse's. */
  fit: (PspFit & { amplitude: number }) | null;
  /** First-pulse average response and the spike time within it (s). */
  averageResponse: Float64Array | null;
  averageResponseT0: number;
  /** The pulse-aligned averages the fit used, one per pulse number, with the fitted model on the same samples. */
  averages: PulseAverage[];
}

/** One pulse number's average over sweeps: samples at `start + i / rate` (s from sweep start, V, baseline removed). */
export interface PulseAverage {
  pulseNumber: number;
  start: number;
  spikeTime: number;
  nAveraged: number;
  data: Float64Array;
  /** The fit evaluated on the same samples; null when the train was not fitted. */
  fit: Float64Array | null;
}

/**
 * The fit's model choices (defaults: fitted onset exponent, shared baseline relaxation); the
 * bench ablates them. `clampMode` 'vc' reads the responses as currents: inward (negative) is
 * excitatory, and the baseline has no membrane relaxation to model.
 */
export type FitOptions = Pick<PspFitInput, 'onsetExponent' | 'baselineDrift'> & { clampMode?: 'ic' | 'vc' };

function fgBg(fg: number[], bg: number[]): FgBgStats {
  return {
    mean: mean(fg),
    stdev: stdev(fg),
    baseMean: mean(bg),
    baseStdev: stdev(bg),
    ttestP: welchTTest(fg, bg).p,
    ksP: ksTwoSample(fg, bg).p,
  };
}

/**
 * Per-pair connection strength (aisynphys connection_strength / synapse_prediction):
 * compares each response with its matched background snippet, decides the sign from signed
 * KS evidence, scores detection, and fits the averaged response train.
 */
export function analyzePair(
  responses: PairResponse[],
  rate: number,
  fitOptions: FitOptions = {},
): PairConnectivity | null {
  const used = responses.filter((r) => r.qc.exPass || r.qc.inPass);
  if (used.length < 2) return null;
  const paired = used.filter((r) => r.background);
  // A measure that could not be taken (NaN, stored as null) is left out of that measure's samples.
  const fgOf = (f: (s: ResponseStrength) => number) => paired.map((r) => f(r.strength)).filter(Number.isFinite);
  const bgOf = (f: (s: ResponseStrength) => number) => paired.map((r) => f(r.background!)).filter(Number.isFinite);

  // Sign: each measure votes with the direction of its fg−bg shift, weighted by KS evidence.
  let signEvidence = 0;
  for (const f of [
    (s: ResponseStrength) => s.decPosAmp,
    (s: ResponseStrength) => s.decNegAmp,
    (s: ResponseStrength) => s.decMeanAmp,
    (s: ResponseStrength) => s.templateAmp,
  ]) {
    const a = fgOf(f);
    const b = bgOf(f);
    if (a.length < 2) continue;
    signEvidence += Math.sign(mean(a) - mean(b)) * pEvidence(ksTwoSample(a, b).p);
  }
  const vc = fitOptions.clampMode === 'vc';
  // In voltage clamp an excitatory synapse gives an inward (negative) current: flip the vote (aisynphys does too).
  if (vc) signEvidence = -signEvidence;
  const synapseType = signEvidence >= 0 ? 'ex' : 'in';
  // The deflection to measure: up for an EPSP or an IPSC, down for an IPSP or an EPSC.
  const ex = (synapseType === 'ex') !== vc;
  const amp = fgBg(
    fgOf((s) => (ex ? s.posAmp : s.negAmp)),
    bgOf((s) => (ex ? s.posAmp : s.negAmp)),
  );
  const decAmp = fgBg(
    fgOf((s) => (ex ? s.decPosAmp : s.decNegAmp)),
    bgOf((s) => (ex ? s.decPosAmp : s.decNegAmp)),
  );
  const latency = fgBg(
    fgOf((s) => (ex ? s.posLatency : s.negLatency)),
    bgOf((s) => (ex ? s.posLatency : s.negLatency)),
  );
  const decMeanFg = fgOf((s) => s.decMeanAmp);
  const decMeanBg = bgOf((s) => s.decMeanAmp);
  const decMean = fgBg(decMeanFg, decMeanBg);
  const { clampMode: _mode, ...modelOptions } = fitOptions;
  const { fit, averageResponse, averageResponseT0, averages } = fitTrain(
    used,
    rate,
    vc ? { baselineDrift: false, ...modelOptions } : modelOptions,
    // Currents (~1e-11 A) fitted in nA: the simplex's stopping rule (relative, with an absolute
    // floor of 1e-10) would otherwise stop at the grid, its SSE being ~1e-22.
    vc ? 1e9 : 1,
  );
  return {
    nResponses: used.length,
    nBackground: paired.length,
    synapseType,
    signEvidence,
    ...detectionStatistic(
      fgOf((s) => s.templateAmp),
      bgOf((s) => s.templateAmp),
    ),
    scores: {
      decMean: Math.abs(welchTTest(decMeanFg, decMeanBg).statistic),
      template: Math.abs(
        welchTTest(
          fgOf((s) => s.templateAmp),
          bgOf((s) => s.templateAmp),
        ).statistic,
      ),
    },
    amp,
    decAmp,
    latency,
    decMean,
    crosstalkMean: mean(used.map((r) => r.strength.crosstalk)),
    baseCrosstalkMean: mean(paired.map((r) => r.background!.crosstalk)),
    fit,
    averageResponse,
    averageResponseT0,
    averages,
  };
}

/**
 * Detection score: |Welch t| of the template (matched-filter) amplitude of each response
 * against its matched background snippet (a fair null: same cell, same noise, no
 * presynaptic spike), after winsorising both at the pooled 5th/95th percentiles so one
 * spontaneous PSP cannot make or break a pair. Larger = more evidence for a synapse.
 */
export function detectionScore(fg: number[], bg: number[]): number {
  return detectionStatistic(fg, bg).detectionScore;
}

/**
 * The detection score with what its power depends on, from the same winsorised samples: the
 * |mean shift| of foreground over background, and the standard error that shift would have on
 * this pair without a connection (background spread over both counts: the pair's noise). NaN
 * with fewer than two of either.
 */
export function detectionStatistic(
  fg: number[],
  bg: number[],
): { detectionScore: number; detectionShift: number; detectionSe: number } {
  const [a, b] = winsorize(fg, bg);
  const t = welchTTest(a, b).statistic;
  const few = a.length < 2 || b.length < 2;
  return {
    detectionScore: Number.isFinite(t) ? Math.abs(t) : 0,
    detectionShift: few ? Number.NaN : Math.abs(mean(a) - mean(b)),
    detectionSe: few ? Number.NaN : stdev(b) * Math.sqrt(1 / a.length + 1 / b.length),
  };
}

/**
 * Sweeps can differ in protocol (train frequency, recovery delay); averaging pulse k across
 * them would mix timings. Keep the sweeps whose every pulse starts where that pulse most
 * often starts (to 0.1 ms); sweeps missing a pulse (QC) still count.
 */
function commonProtocol(responses: PairResponse[]): PairResponse[] {
  const at = (r: PairResponse) => Math.round(r.windowStart * 1e4);
  const tally = new Map<number, Map<number, number>>();
  for (const r of responses) {
    const m = tally.get(r.pulseNumber) ?? new Map<number, number>();
    m.set(at(r), (m.get(at(r)) ?? 0) + 1);
    tally.set(r.pulseNumber, m);
  }
  const modal = new Map([...tally].map(([k, m]) => [k, [...m].sort((a, b) => b[1] - a[1])[0]![0]]));
  const odd = new Set(responses.filter((r) => modal.get(r.pulseNumber) !== at(r)).map((r) => r.sweep));
  return odd.size ? responses.filter((r) => !odd.has(r.sweep)) : responses;
}

/**
 * Averages the windows of each pulse number over sweeps (they share the protocol's timing),
 * then fits every pulse at once with shared kinetics.
 */
function fitTrain(
  all: PairResponse[],
  rate: number,
  fitOptions: Omit<FitOptions, 'clampMode'>,
  scale = 1,
): Pick<PairConnectivity, 'fit' | 'averageResponse' | 'averageResponseT0' | 'averages'> {
  const { input, averageResponse, averageResponseT0, averages } = trainFitInput(all, rate, fitOptions, scale);
  if (input.segments.length === 0) return { fit: null, averageResponse, averageResponseT0, averages };
  const scaled = fitPsp(input);
  fitCurves(input, scaled).forEach(
    (curve, i) => (averages[i]!.fit = scale === 1 ? curve : curve.map((x) => x / scale)),
  );
  const fit =
    scale === 1
      ? scaled
      : {
          ...scaled,
          amplitudes: scaled.amplitudes.map((a) => a / scale),
          baselines: scaled.baselines.map((b) => b / scale),
          drift: { ...scaled.drift, amplitude: scaled.drift.amplitude / scale },
          residualSd: scaled.residualSd / scale,
        };
  return { fit: { ...fit, amplitude: fit.amplitudes[0]! }, averageResponse, averageResponseT0, averages };
}

/** The train fit's input (one averaged segment and spike per pulse number) and the averages; exported for the numpy reference's bench. */
export function trainFitInput(
  all: PairResponse[],
  rate: number,
  fitOptions: Omit<FitOptions, 'clampMode'> = {},
  scale = 1,
): {
  input: PspFitInput;
  averageResponse: Float64Array | null;
  averageResponseT0: number;
  averages: PulseAverage[];
} {
  const used = commonProtocol(all);
  const byPulse = new Map<number, PairResponse[]>();
  for (const r of used) byPulse.set(r.pulseNumber, [...(byPulse.get(r.pulseNumber) ?? []), r]);
  const pulseNumbers = [...byPulse.keys()].sort((a, b) => a - b);
  const segments: FitSegment[] = [];
  const events: FitEvent[] = [];
  let averageResponse: Float64Array | null = null;
  let averageResponseT0 = 0;
  const averages: PulseAverage[] = [];
  pulseNumbers.forEach((k, group) => {
    const rs = byPulse.get(k)!;
    const n = Math.min(...rs.map((r) => r.data.length));
    const avg = new Float64Array(n);
    for (const r of rs) {
      // Each window minus its own pre-pulse baseline: slow drift between sweeps does not blur the average.
      const base = r.strength.baseline;
      for (let i = 0; i < n; i++) avg[i]! += (r.data[i]! - base) / rs.length;
    }
    const start = mean(rs.map((r) => r.windowStart));
    const spike = mean(rs.map((r) => r.spikeTime));
    // Free baselines per segment: fixing the first to its float-mode baseline measured worse (noisy 10 ms estimate).
    segments.push({ start, data: scale === 1 ? avg : avg.map((x) => x * scale) });
    events.push({ time: spike, group });
    averages.push({ pulseNumber: k, start, spikeTime: spike, nAveraged: rs.length, data: avg, fit: null });
    if (group === 0) {
      averageResponse = avg;
      averageResponseT0 = spike - start;
    }
  });
  const input = { rate, segments, events, nGroups: pulseNumbers.length, ...fitOptions };
  return { input, averageResponse, averageResponseT0, averages };
}

/** Clips both samples at the pooled 5th/95th percentiles, so a stray spontaneous PSP cannot dominate a mean. */
export function winsorize(a: number[], b: number[], q = 0.05): [number[], number[]] {
  const pooled = [...a, ...b].sort((x, y) => x - y);
  if (pooled.length < 10) return [a, b];
  const lo = pooled[Math.floor(q * (pooled.length - 1))]!;
  const hi = pooled[Math.ceil((1 - q) * (pooled.length - 1))]!;
  const clip = (x: number) => Math.min(hi, Math.max(lo, x));
  return [a.map(clip), b.map(clip)];
}
