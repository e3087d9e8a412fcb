import { assignBaselines } from './baseline-snippets.js';
import { cellIntrinsic, fitTestPulse, type CellIntrinsic, type TestPulseFit } from './intrinsic.js';
import { analyzePair, type PairConnectivity, type PairResponse } from './pair-connectivity.js';
import { recordingQc, type RecordingQc } from './recording-qc.js';
import { measureResponse, type ResponseStrength } from './response-measure.js';
import { responseQc, type ResponseQcOptions } from './response-qc.js';
import { detectEvokedSpike, type EvokedSpike } from './spike-detection.js';
import { findStimPulses, findTestPulse, type SquarePulse } from './square-pulses.js';
import { quietChunks, responseWindow, type Window } from './windows.js';

/** One sweep's channels as plain arrays (SI units), e.g. read from NWB. */
export interface SiteSweepInput {
  sweepNumber: number;
  channels: { key: string; rate: number; command: ArrayLike<number>; response: ArrayLike<number> }[];
}

export interface SiteAnalysis {
  cells: { key: string; intrinsic: CellIntrinsic }[];
  pairs: { pre: string; post: string; nResponses: number; result: PairConnectivity | null }[];
}

interface ChannelState {
  key: string;
  rate: number;
  response: ArrayLike<number>;
  pulses: SquarePulse[];
  spikes: (EvokedSpike | null)[];
  qc: RecordingQc;
  testPulse: TestPulseFit | null;
}

/** Background snippets: the virtual pulse sits this far into the 20 ms chunk, like a real window's pre-pulse part. */
const SNIPPET_PRE = 0.01;

/**
 * The whole science path for one site, pure and in memory: per sweep, stimulus pulses,
 * presynaptic spikes, recording QC, response windows with matched background snippets and
 * their measures; then per cell intrinsic features and per ordered pair connectivity.
 * The pipeline modules run the same steps one table at a time.
 */
export function analyzeSite(experimentId: string, sweeps: SiteSweepInput[], qcOptions: ResponseQcOptions = {}): SiteAnalysis {
  const perCell = new Map<string, { baselinePotential: number; noiseSd: number; testPulse: TestPulseFit | null }[]>();
  const perPair = new Map<string, PairResponse[]>();
  const keys = [...new Set(sweeps.flatMap((s) => s.channels.map((c) => c.key)))];
  for (const sweep of sweeps) {
    const channels = sweep.channels.map((c) => prepareChannel(c));
    const busy: Window[] = channels.flatMap((c) => c.pulses.map((p) => ({ start: p.start, stop: p.stop })));
    for (const c of sweep.channels) {
      const tp = findTestPulse(c.command);
      if (tp) busy.push({ start: tp.start, stop: tp.stop });
    }
    const length = Math.min(...channels.map((c) => c.response.length));
    const rate = channels[0]?.rate ?? 1;
    const quiet = quietChunks(busy, length, rate);
    for (const c of channels) {
      c.qc = recordingQc(c.response, quiet);
      perCell.set(c.key, [...(perCell.get(c.key) ?? []), { baselinePotential: c.qc.baselinePotential, noiseSd: c.qc.noiseSd, testPulse: c.testPulse }]);
    }
    for (const pre of channels) {
      if (pre.pulses.length === 0) continue;
      for (const post of channels) {
        if (post === pre) continue;
        const list = perPair.get(`${pre.key}\u0000${post.key}`) ?? [];
        list.push(...pairResponses(experimentId, sweep.sweepNumber, pre, post, quiet, qcOptions));
        perPair.set(`${pre.key}\u0000${post.key}`, list);
      }
    }
  }
  const rate = sweeps[0]?.channels[0]?.rate ?? 1;
  return {
    cells: keys.map((key) => ({ key, intrinsic: cellIntrinsic(perCell.get(key) ?? []) })),
    pairs: keys.flatMap((pre) =>
      keys.filter((post) => post !== pre).map((post) => {
        const responses = perPair.get(`${pre}\u0000${post}`) ?? [];
        return { pre, post, nResponses: responses.length, result: analyzePair(responses, rate) };
      }),
    ),
  };
}

function prepareChannel(c: SiteSweepInput['channels'][number]): ChannelState {
  const pulses = findStimPulses(c.command, c.rate);
  const spikes = pulses.map((p, k) => detectEvokedSpike(c.response, c.rate, p, pulses[k + 1]?.start));
  const tp = findTestPulse(c.command);
  return { key: c.key, rate: c.rate, response: c.response, pulses, spikes, qc: { baselinePotential: Number.NaN, noiseSd: Number.NaN, pass: false, reasons: [] }, testPulse: tp ? fitTestPulse(c.response, c.rate, tp) : null };
}

/** Windows, measures, QC and matched background for every pulse of `pre` seen by `post`. */
function pairResponses(experimentId: string, sweepNumber: number, pre: ChannelState, post: ChannelState, quiet: Window[], qcOptions: ResponseQcOptions): PairResponse[] {
  const rate = post.rate;
  const spiking = pre.pulses.map((_, k) => k).filter((k) => pre.spikes[k]);
  const chunkOf = assignBaselines(spiking.length, quiet, `${experimentId} ${sweepNumber} ${pre.key} ${post.key}`);
  return spiking.map((k, j) => {
    const pulse = pre.pulses[k]!;
    const spike = pre.spikes[k]!;
    const w = responseWindow(pre.pulses, k, rate, post.response.length);
    const data = subarray(post.response, w.start, w.stop);
    const pulseIndex = pulse.start - w.start;
    const spikeTime = spike.maxSlopeTime - w.start / rate;
    const strength = measureResponse(data, rate, pulseIndex, spikeTime);
    const previousDt = k > 0 ? (pulse.start - pre.pulses[k - 1]!.start) / rate : Infinity;
    const qc = responseQc(data, rate, strength.baseline, true, previousDt, post.qc.pass, qcOptions);
    const chunk = chunkOf[j]! >= 0 ? quiet[chunkOf[j]!]! : null;
    let background: ResponseStrength | null = null;
    if (chunk) {
      const snippet = subarray(post.response, chunk.start, chunk.stop);
      const virtualPulse = Math.round(SNIPPET_PRE * rate);
      background = measureResponse(snippet, rate, virtualPulse, SNIPPET_PRE + (spike.maxSlopeTime - pulse.start / rate));
    }
    return { sweep: sweepNumber, pulseNumber: k, windowStart: w.start / rate, spikeTime: spike.maxSlopeTime, data, strength, background, qc };
  });
}

function subarray(x: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return ArrayBuffer.isView(x) ? (x as unknown as Float64Array).subarray(from, to) : Array.prototype.slice.call(x, from, to);
}
