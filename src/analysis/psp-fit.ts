import { nelderMead } from './nelder-mead.js';
import { pspShape } from './psp-model.js';

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
}

export interface PspFit {
  /** Signed PSP peak amplitude per group (V). */
  amplitudes: number[];
  latency: number;
  riseTime: number;
  decayTau: number;
  /** Constant baseline fitted per segment (V). */
  baselines: number[];
  /** RMS residual over the SD of the data (1 = the model explains nothing). */
  nrmse: number;
  residualSd: number;
}

const FIT_RATE = 2500;
// Onset→peak of unitary cortical PSPs stays under ~4 ms; beyond that a small PSP trades rise for latency freely.
const RISE_RANGE: [number, number] = [0.3e-3, 4.5e-3];
const DECAY_RANGE: [number, number] = [2e-3, 120e-3];

/**
 * Fits a sum of PSPs with shared kinetics (latency, rise, decay) to one or more segments:
 * each event adds amplitude[group]·kernel(t − spike − latency). Amplitudes and per-segment
 * baselines enter linearly and are solved exactly for each kinetic guess, so the search is
 * only 3-D: a coarse grid, then Nelder–Mead. With one segment and one event this is the
 * classic fit of a spike-aligned average; with a train it uses every pulse and handles
 * summation, so the first-pulse amplitude is not biased by overlapping PSPs.
 */
export function fitPsp(input: PspFitInput): PspFit {
  const segs = input.segments.map((s) => ({ ...decimate(s, input.rate), baselineZero: s.baselineZero ?? false }));
  const [latLo, latHi] = input.latencyRange ?? [0.5e-3, 6e-3];
  const evaluate = (lat: number, rise: number, decay: number) =>
    solveLinear(segs, input.events, input.nGroups, lat, rise, decay);
  const clamp = (x: number[]): [number, number, number] => [
    Math.min(latHi, Math.max(latLo, x[0]!)),
    Math.min(RISE_RANGE[1], Math.max(RISE_RANGE[0], x[1]!)),
    Math.min(DECAY_RANGE[1], Math.max(DECAY_RANGE[0], x[2]!)),
  ];
  let best = { sse: Infinity, x: [latLo, 1.5e-3, 15e-3] };
  for (let lat = latLo; lat <= latHi + 1e-12; lat += 0.75e-3) {
    for (const rise of [0.8e-3, 1.8e-3, 3.5e-3]) {
      for (const decay of [6e-3, 15e-3, 35e-3]) {
        const sse = evaluate(lat, rise, decay).sse;
        if (sse < best.sse) best = { sse, x: [lat, rise, decay] };
      }
    }
  }
  // Search in ms / log-ms so one simplex step means the same everywhere.
  const toSearch = (x: number[]) => [x[0]! * 1e3, Math.log(x[1]! * 1e3), Math.log(x[2]! * 1e3)];
  const fromSearch = (s: number[]) => [s[0]! / 1e3, Math.exp(s[1]!) / 1e3, Math.exp(s[2]!) / 1e3];
  const objective = (s: number[]) => {
    const raw = fromSearch(s);
    const x = clamp(raw);
    // Penalise leaving the box so the simplex comes back instead of sticking to an edge.
    const out =
      Math.abs(raw[0]! - x[0]) * 1e3 + Math.abs(Math.log(raw[1]! / x[1])) + Math.abs(Math.log(raw[2]! / x[2]));
    return evaluate(...x).sse * (1 + out);
  };
  const nm = nelderMead(objective, toSearch(best.x), [0.3, 0.3, 0.3], 120);
  const [latency, riseTime, decayTau] = clamp(fromSearch(nm.x));
  const sol = evaluate(latency, riseTime, decayTau);
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
    latency,
    riseTime,
    decayTau,
    baselines: sol.baselines,
    nrmse: residualSd / Math.sqrt(variance),
    residualSd,
  };
}

interface Decimated {
  times: Float64Array;
  values: Float64Array;
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
  return { times, values };
}

/** Least squares for amplitudes + baselines at fixed kinetics, through the normal equations. */
function solveLinear(
  segs: Decimated[],
  events: FitEvent[],
  nGroups: number,
  lat: number,
  rise: number,
  decay: number,
): { sse: number; amplitudes: number[]; baselines: number[] } {
  const shape = pspShape(rise, decay);
  const m = nGroups + segs.length;
  const ata = new Float64Array(m * m);
  const aty = new Float64Array(m);
  let yy = 0;
  const row = new Float64Array(nGroups);
  const nE = events.length;
  const ar = new Float64Array(nE);
  const ad = new Float64Array(nE);
  const onset = new Float64Array(nE);
  const group = Int32Array.from(events, (e) => e.group);
  for (let s = 0; s < segs.length; s++) {
    const { times, values } = segs[s]!;
    if (times.length === 0) continue;
    const b = nGroups + s;
    const free = !segs[s]!.baselineZero;
    const t0 = times[0]!;
    // e^{-(t-o)/τ} = e^{-(t-t0)/τ}·e^{(o-t0)/τ}, and samples are evenly spaced, so each
    // exponential is a running product: no exp per sample or per event.
    for (let e = 0; e < nE; e++) {
      onset[e] = events[e]!.time + lat;
      ar[e] = Math.exp((onset[e]! - t0) / shape.riseTau);
      ad[e] = Math.exp((onset[e]! - t0) / shape.decayTau);
    }
    const step = times.length > 1 ? times[1]! - t0 : 0;
    const qr = Math.exp(-step / shape.riseTau);
    const qd = Math.exp(-step / shape.decayTau);
    let er = 1;
    let ed = shape.norm;
    for (let i = 0; i < times.length; i++, er *= qr, ed *= qd) {
      row.fill(0);
      const t = times[i]!;
      let lo = nGroups;
      let hi = -1;
      for (let e = 0; e < nE; e++) {
        if (t <= onset[e]!) continue;
        const r = 1 - er * ar[e]!;
        const g = group[e]!;
        row[g]! += r * r * ed * ad[e]!;
        if (g < lo) lo = g;
        if (g > hi) hi = g;
      }
      const y = values[i]!;
      yy += y * y;
      for (let g = lo; g <= hi; g++) {
        const rg = row[g]!;
        if (rg === 0) continue;
        aty[g]! += rg * y;
        const base = g * m;
        for (let h = g; h <= hi; h++) ata[base + h]! += rg * row[h]!;
        if (free) ata[base + b]! += rg;
      }
      if (free) {
        aty[b]! += y;
        ata[b * m + b]! += 1;
      }
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) ata[i * m + j] = ata[j * m + i]!;
  // A tiny ridge keeps groups with no data (all-zero columns) solvable; their amplitude is 0.
  for (let i = 0; i < m; i++) ata[i * m + i]! += 1e-12 * (1 + ata[i * m + i]!);
  const beta = solveSymmetric(ata, aty, m);
  let fitDot = 0;
  for (let i = 0; i < m; i++) fitDot += beta[i]! * aty[i]!;
  // For the LS solution, SSE = yᵀy − βᵀAᵀy.
  return {
    sse: yy - fitDot,
    amplitudes: Array.from(beta.subarray(0, nGroups)),
    baselines: Array.from(beta.subarray(nGroups)),
  };
}

/** Gaussian elimination with partial pivoting on a copy (m is small: pulses + segments). */
function solveSymmetric(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const A = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(A[r * m + c]!) > Math.abs(A[p * m + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < m; k++) [A[c * m + k], A[p * m + k]] = [A[p * m + k]!, A[c * m + k]!];
      [x[c], x[p]] = [x[p]!, x[c]!];
    }
    const d = A[c * m + c]!;
    if (d === 0) continue;
    for (let r = c + 1; r < m; r++) {
      const f = A[r * m + c]! / d;
      if (f === 0) continue;
      for (let k = c; k < m; k++) A[r * m + k]! -= f * A[c * m + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let c = m - 1; c >= 0; c--) {
    let s = x[c]!;
    for (let k = c + 1; k < m; k++) s -= A[c * m + k]! * x[k]!;
    x[c] = A[c * m + c]! === 0 ? 0 : s / A[c * m + c]!;
  }
  return x;
}
