import { nelderMead } from './nelder-mead.js';
import { addPsp, onsetPower, pspShape, SHARP_ONSET, SMOOTH_ONSET, type PspShape } from './psp-model.js';
import { solveLinearSystem } from './linear-solve.js';

export interface FitSegment {
  /** Time of data[0] (s) in the common time base of the events. */
  start: number;
  data: ArrayLike<number>;
  /**
   * Baseline already removed (0) instead of fitted. Use it when nothing precedes the segment:
   * a free constant over a 30 ms window trades off against a slowly decaying PSP and adds noise.
   */
  baselineZero?: boolean;
}

export interface FitEvent {
  /** Presynaptic spike (max-slope) time (s). */
  time: number;
  /** Index of the amplitude this event shares (e.g. pulse number in the train). */
  group: number;
}

export interface PspFitInput {
  rate: number;
  segments: FitSegment[];
  events: FitEvent[];
  nGroups: number;
  /** Onset latency search range after the spike (s); default 0.5–6 ms (aisynphys: 0.5–10 ms). */
  latencyRange?: [number, number];
  /** Fix the onset exponent (2 = smooth foot, 1 = sharp); default: fitted within 1–2. */
  onsetExponent?: number;
  /**
   * Model a baseline that relaxes across the segments (a membrane still recovering from a
   * test pulse): one exponential c·e^{−(t − t₀)/τ} shared by all segments, c and τ fitted.
   * Default true.
   */
  baselineDrift?: boolean;
}

export interface PspFit {
  /** Signed PSP peak amplitude per group (V). */
  amplitudes: number[];
  /** Onset after the spike (s): where the PSP leaves the baseline, whatever the foot's shape. */
  latency: number;
  riseTime: number;
  decayTau: number;
  /** Onset exponent p of (1 − e^{−t/τr})^p: 2 smooth, 1 sharp. */
  onsetExponent: number;
  /** Constant baseline fitted per segment (V). */
  baselines: number[];
  /** Shared baseline relaxation: amplitude (V) at the first segment's start and τ (s); 0 and NaN when off. */
  drift: { amplitude: number; tau: number };
  /** RMS residual over the SD of the data (1 = the model explains nothing). */
  nrmse: number;
  residualSd: number;
}

const FIT_RATE = 2500;
// Onset→peak of unitary cortical PSPs stays under ~4 ms; beyond that a small PSP trades rise for latency freely.
const RISE_RANGE: [number, number] = [0.3e-3, 4.5e-3];
const DECAY_RANGE: [number, number] = [2e-3, 120e-3];
const EXPONENT_RANGE: [number, number] = [SHARP_ONSET, SMOOTH_ONSET];
const CAP_GROWTH = 0.5;
/**
 * The rise cap is set for the smooth foot. A sharper foot reaches the same early rise with a
 * longer onset→peak (its approach to the peak is slower), so its cap grows as p falls.
 */
export function riseRange(exponent: number): [number, number] {
  return [RISE_RANGE[0], RISE_RANGE[1] * (1 + CAP_GROWTH * (SMOOTH_ONSET - exponent))];
}
// Membrane τ of the cells recorded; a faster "drift" would be a PSP.
const DRIFT_TAU_RANGE: [number, number] = [8e-3, 200e-3];

interface Kinetics {
  latency: number;
  rise: number;
  decay: number;
  exponent: number;
  /** τ of the shared baseline relaxation; NaN = none. */
  driftTau: number;
}

/**
 * Fits a sum of PSPs with shared kinetics (latency, rise, decay, onset exponent) to one or
 * more segments: each event adds amplitude[group]·kernel(t − spike − latency), on a baseline
 * that is a constant per segment plus, optionally, one relaxing exponential shared by all.
 * Amplitudes, baselines and the relaxation's size enter linearly and are solved exactly for
 * each kinetic guess, so the search covers only the kinetics: a coarse grid, then
 * Nelder–Mead. With a train it uses every pulse and handles summation, so the first-pulse
 * amplitude is not biased by overlapping PSPs. The onset exponent is fitted so that the
 * onset (the latency) does not depend on how sharply the PSP leaves the baseline.
 */
export function fitPsp(input: PspFitInput): PspFit {
  const segs = input.segments.map((s) => ({ ...decimate(s, input.rate), baselineZero: s.baselineZero ?? false }));
  const [latLo, latHi] = input.latencyRange ?? [0.5e-3, 6e-3];
  const fixedExponent = input.onsetExponent;
  const drift = input.baselineDrift ?? true;
  const evaluate = (k: Kinetics) => solveLinear(segs, input.events, input.nGroups, k);
  const box = (x: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, x));
  const clamp = (k: Kinetics): Kinetics => ({
    latency: box(k.latency, [latLo, latHi]),
    rise: box(k.rise, riseRange(fixedExponent ?? box(k.exponent, EXPONENT_RANGE))),
    decay: box(k.decay, DECAY_RANGE),
    exponent: fixedExponent ?? box(k.exponent, EXPONENT_RANGE),
    driftTau: drift ? box(k.driftTau, DRIFT_TAU_RANGE) : Number.NaN,
  });
  let best = {
    sse: Infinity,
    k: clamp({ latency: latLo, rise: 1.5e-3, decay: 15e-3, exponent: 1.5, driftTau: 40e-3 }),
  };
  for (let lat = latLo; lat <= latHi + 1e-12; lat += 1e-3)
    for (const rise of [0.8e-3, 1.8e-3, 3.5e-3])
      for (const decay of [6e-3, 15e-3, 35e-3]) {
        const k = clamp({ latency: lat, rise, decay, exponent: 1.5, driftTau: 40e-3 });
        const sse = evaluate(k).sse;
        if (sse < best.sse) best = { sse, k };
      }
  // Search in ms / log-ms so one simplex step means the same everywhere; the exponent and the
  // drift τ join only when they are free.
  const toSearch = (k: Kinetics) => [
    k.latency * 1e3,
    Math.log(k.rise * 1e3),
    Math.log(k.decay * 1e3),
    ...(fixedExponent === undefined ? [k.exponent] : []),
    ...(drift ? [Math.log(k.driftTau * 1e3)] : []),
  ];
  const fromSearch = (s: number[]): Kinetics => {
    let i = 3;
    return {
      latency: s[0]! / 1e3,
      rise: Math.exp(s[1]!) / 1e3,
      decay: Math.exp(s[2]!) / 1e3,
      exponent: fixedExponent ?? s[i++]!,
      driftTau: drift ? Math.exp(s[i]!) / 1e3 : Number.NaN,
    };
  };
  const objective = (s: number[]) => {
    const raw = fromSearch(s);
    const k = clamp(raw);
    // Penalise leaving the box so the simplex comes back instead of sticking to an edge.
    const out =
      Math.abs(raw.latency - k.latency) * 1e3 +
      Math.abs(Math.log(raw.rise / k.rise)) +
      Math.abs(Math.log(raw.decay / k.decay)) +
      Math.abs(raw.exponent - k.exponent) +
      (drift ? Math.abs(Math.log(raw.driftTau / k.driftTau)) : 0);
    return evaluate(k).sse * (1 + out);
  };
  const start = toSearch(best.k);
  const nm = nelderMead(
    objective,
    start,
    start.map(() => 0.3),
    60 + 30 * start.length,
  );
  const k = clamp(fromSearch(nm.x));
  const sol = evaluate(k);
  let n = 0;
  let s1 = 0;
  let s2 = 0;
  for (const s of segs)
    for (let i = 0; i < s.values.length; i++) {
      n++;
      s1 += s.values[i]!;
      s2 += s.values[i]! ** 2;
    }
  const variance = Math.max(1e-30, s2 / n - (s1 / n) ** 2);
  const residualSd = Math.sqrt(Math.max(0, sol.sse) / Math.max(1, n));
  return {
    amplitudes: sol.amplitudes,
    latency: k.latency,
    riseTime: k.rise,
    decayTau: k.decay,
    onsetExponent: k.exponent,
    baselines: sol.baselines,
    drift: { amplitude: drift ? sol.drift : 0, tau: k.driftTau },
    nrmse: residualSd / Math.sqrt(variance),
    residualSd,
  };
}

interface Decimated {
  times: Float64Array;
  values: Float64Array;
  /** Offsets (s) of the raw samples a block mean averages, from the block's centre time. */
  offsets: Float64Array;
  baselineZero?: boolean;
}

/** Block means down to ~2.5 kHz: enough for ms kinetics (the model is continuous in time), and 8× less work per evaluation. */
function decimate(seg: FitSegment, rate: number): Decimated {
  const f = Math.max(1, Math.round(rate / FIT_RATE));
  const n = Math.floor(seg.data.length / f);
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < f; k++) s += seg.data[i * f + k]!;
    values[i] = s / f;
    times[i] = seg.start + (i * f + (f - 1) / 2) / rate;
  }
  return { times, values, offsets: Float64Array.from({ length: f }, (_, k) => (k - (f - 1) / 2) / rate) };
}

/**
 * Least squares for amplitudes, baselines and the drift's size at fixed kinetics, through the
 * normal equations. Columns: one amplitude per group, one constant per segment (unless its
 * baseline is zero), then the shared drift. Built a segment at a time: each group's column of
 * the segment in one tight loop, then every product of two columns as one running sum from the
 * later column's first non-zero sample, sample by sample in order, so each AᵀA entry receives
 * exactly the additions (in the same order) a row-by-row accumulation would: the same bits,
 * 1.65× less CPU than accumulating row outer products did (this loop was 74 % of the fit).
 */
function solveLinear(
  segs: Decimated[],
  events: FitEvent[],
  nGroups: number,
  k: Kinetics,
): { sse: number; amplitudes: number[]; baselines: number[]; drift: number } {
  const shape = pspShape(k.rise, k.decay, k.exponent);
  const p = k.exponent;
  const halfPp1 = 0.5 * p * (p - 1);
  const sixthPp1p2 = (halfPp1 * (p - 2)) / 3;
  const hasDrift = !Number.isNaN(k.driftTau);
  const driftCol = nGroups + segs.length;
  const m = driftCol + (hasDrift ? 1 : 0);
  const ata = new Float64Array(m * m);
  const aty = new Float64Array(m);
  let yy = 0;
  const nE = events.length;
  const maxLen = segs.reduce((n, s) => Math.max(n, s.times.length), 0);
  // Column g of the current segment at cols[g·maxLen …]; colFirst[g] = its first non-zero sample (n: none).
  const cols = new Float64Array(nGroups * maxLen);
  const colFirst = new Int32Array(nGroups);
  const driftValues = new Float64Array(maxLen);
  const t00 = segs.reduce((t, s) => (s.times.length ? Math.min(t, s.times[0]!) : t), Infinity);
  for (let s = 0; s < segs.length; s++) {
    const { times, values, offsets } = segs[s]!;
    const n = times.length;
    if (n === 0) continue;
    const b = nGroups + s;
    const free = !segs[s]!.baselineZero;
    const t0 = times[0]!;
    const step = n > 1 ? times[1]! - t0 : 1;
    const halfBlock = offsets[offsets.length - 1]!;
    // Blocks from the one holding the onset through the rise are block means of the kernel
    // itself, as the data are: a centre value would round off a sharp foot and bias the onset.
    const nearSpan = offsets.length > 1 ? k.rise + halfBlock + step : -Infinity;
    colFirst.fill(n);
    let lo = nGroups;
    let hi = -1;
    for (let e = 0; e < nE; e++) {
      const onset = events[e]!.time + k.latency;
      let i = Math.max(0, Math.floor((onset - halfBlock - t0) / step) + 1);
      while (i > 0 && times[i - 1]! + halfBlock > onset) i--;
      while (i < n && times[i]! + halfBlock <= onset) i++;
      if (i >= n) continue;
      const g = events[e]!.group;
      const col = g * maxLen;
      if (colFirst[g] === n) cols.fill(0, col, col + n);
      if (i < colFirst[g]!) colFirst[g] = i;
      if (g < lo) lo = g;
      if (g > hi) hi = g;
      // Each exponential is a running product from the event's first sample after onset, so
      // no exponent ever exceeds 0: nothing overflows, however long the segment. The centre of
      // the first block may sit up to half a block before the onset: er ≤ e^{0.5 block/τr}.
      const dt = times[i]! - onset;
      let er = Math.exp(-dt / shape.riseTau);
      let ed = shape.norm * Math.exp(-dt / shape.decayTau);
      const qr = Math.exp(-step / shape.riseTau);
      const qd = Math.exp(-step / shape.decayTau);
      // Three stretches, in order as t grows and er falls: block means through the rise, the
      // power, then past 4.6 rise constants (er < 0.01) the foot's third-order expansion, within
      // 1e-9 of the power (exact for p = 1 and 2) at a fraction of Math.pow's cost.
      for (; i < n && times[i]! - onset < nearSpan; i++, er *= qr, ed *= qd)
        cols[col + i]! += blockMean(shape, times[i]! - onset, offsets);
      for (; i < n && !(er < 0.01); i++, er *= qr, ed *= qd) cols[col + i]! += onsetPower(1 - er, p) * ed;
      for (; i < n; i++, er *= qr, ed *= qd) cols[col + i]! += (1 - er * (p - er * (halfPp1 - sixthPp1p2 * er))) * ed;
    }
    if (hasDrift) {
      let drift = Math.exp(-(t0 - t00) / k.driftTau);
      const qDrift = Math.exp(-step / k.driftTau);
      for (let i = 0; i < n; i++, drift *= qDrift) driftValues[i] = drift;
    }
    for (let i = 0; i < n; i++) yy += values[i]! * values[i]!;
    for (let g = lo; g <= hi; g++) {
      const from = colFirst[g]!;
      if (from === n) continue;
      const cg = g * maxLen;
      // Column g against y, the segment's constant and the drift: one pass, one running sum each.
      let sy = aty[g]!;
      let sb = ata[g * m + b]!;
      let sd = hasDrift ? ata[g * m + driftCol]! : 0;
      for (let i = from; i < n; i++) {
        const c = cols[cg + i]!;
        sy += c * values[i]!;
        sb += c;
        sd += c * driftValues[i]!;
      }
      aty[g] = sy;
      if (free) ata[g * m + b] = sb;
      if (hasDrift) ata[g * m + driftCol] = sd;
      // Against the other groups' columns, two at a time (one load of column g serves both).
      let h = g;
      for (; h + 1 <= hi; h += 2) {
        const c1 = h * maxLen;
        const c2 = c1 + maxLen;
        let s1 = ata[g * m + h]!;
        let s2 = ata[g * m + h + 1]!;
        const f1 = Math.max(from, colFirst[h]!);
        const f2 = Math.max(from, colFirst[h + 1]!);
        for (let i = Math.min(f1, f2); i < n; i++) {
          const c = cols[cg + i]!;
          if (i >= f1) s1 += c * cols[c1 + i]!;
          if (i >= f2) s2 += c * cols[c2 + i]!;
        }
        ata[g * m + h] = s1;
        ata[g * m + h + 1] = s2;
      }
      for (; h <= hi; h++) {
        const ch = h * maxLen;
        let sum = ata[g * m + h]!;
        for (let i = Math.max(from, colFirst[h]!); i < n; i++) sum += cols[cg + i]! * cols[ch + i]!;
        ata[g * m + h] = sum;
      }
    }
    if (free) {
      let sy = aty[b]!;
      for (let i = 0; i < n; i++) sy += values[i]!;
      aty[b] = sy;
      ata[b * m + b]! += n;
      if (hasDrift) {
        let sum = ata[b * m + driftCol]!;
        for (let i = 0; i < n; i++) sum += driftValues[i]!;
        ata[b * m + driftCol] = sum;
      }
    }
    if (hasDrift) {
      let sy = aty[driftCol]!;
      let dd = ata[driftCol * m + driftCol]!;
      for (let i = 0; i < n; i++) {
        sy += driftValues[i]! * values[i]!;
        dd += driftValues[i]! * driftValues[i]!;
      }
      aty[driftCol] = sy;
      ata[driftCol * m + driftCol] = dd;
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) ata[i * m + j] = ata[j * m + i]!;
  // A tiny ridge keeps groups with no data (all-zero columns) solvable; their amplitude is 0.
  for (let i = 0; i < m; i++) ata[i * m + i]! += 1e-12 * (1 + ata[i * m + i]!);
  const beta = solveLinearSystem(ata, aty, m);
  let fitDot = 0;
  for (let i = 0; i < m; i++) fitDot += beta[i]! * aty[i]!;
  // For the LS solution, SSE = yᵀy − βᵀAᵀy.
  return {
    sse: yy - fitDot,
    amplitudes: Array.from(beta.subarray(0, nGroups)),
    baselines: Array.from(beta.subarray(nGroups, driftCol)),
    drift: hasDrift ? beta[driftCol]! : 0,
  };
}

/** Mean of the unit kernel over the raw samples of a block whose centre is `t` after onset. */
function blockMean(shape: PspShape, t: number, offsets: Float64Array): number {
  const n = offsets.length;
  let j = 0;
  while (j < n && t + offsets[j]! <= 0) j++;
  if (j === n) return 0;
  // Raw samples are evenly spaced: two exponentials per block, then running products.
  const dt = n > 1 ? offsets[1]! - offsets[0]! : 0;
  const t0 = t + offsets[j]!;
  let er = Math.exp(-t0 / shape.riseTau);
  let ed = Math.exp(-t0 / shape.decayTau);
  const qr = Math.exp(-dt / shape.riseTau);
  const qd = Math.exp(-dt / shape.decayTau);
  let sum = 0;
  for (; j < n; j++, er *= qr, ed *= qd) sum += onsetPower(1 - er, shape.exponent) * ed;
  return (shape.norm * sum) / n;
}

/**
 * The fitted model on each segment's own samples (V, same time base as the data): PSPs of every
 * event plus the segment's baseline and the shared relaxation, as `fitPsp` modelled them.
 */
export function fitCurves(input: PspFitInput, fit: PspFit): Float64Array[] {
  const shape = pspShape(fit.riseTime, fit.decayTau, fit.onsetExponent);
  // The relaxation is referenced to the first decimated block's centre, as in the fit.
  const f = Math.max(1, Math.round(input.rate / FIT_RATE));
  const t00 = Math.min(...input.segments.map((s) => s.start)) + (f - 1) / 2 / input.rate;
  const hasDrift = fit.drift.amplitude !== 0 && Number.isFinite(fit.drift.tau);
  return input.segments.map((seg, s) => {
    const out = new Float64Array(seg.data.length);
    const base = seg.baselineZero ? 0 : (fit.baselines[s] ?? 0);
    for (let i = 0; i < out.length; i++) {
      const t = seg.start + i / input.rate;
      out[i] = base + (hasDrift ? fit.drift.amplitude * Math.exp(-(t - t00) / fit.drift.tau) : 0);
    }
    for (const e of input.events) {
      const a = fit.amplitudes[e.group] ?? 0;
      if (a !== 0) addPsp(out, input.rate, seg.start, e.time + fit.latency, a, shape);
    }
    return out;
  });
}
