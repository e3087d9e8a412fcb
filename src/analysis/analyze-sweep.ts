import { assignBaselines } from './baseline-snippets.js';
import { fitTestPulse, type TestPulseFit } from './intrinsic.js';
import { recordingQc } from './recording-qc.js';
import { measureResponse, type ResponseStrength } from './response-measure.js';
import { responseQc, type ResponseQc, type ResponseQcOptions } from './response-qc.js';
import { detectEvokedSpike, type EvokedSpike } from './spike-detection.js';
import { findSquarePulses, stimPulsesOf, testPulseOf, type SquarePulse } from './square-pulses.js';
import { quietChunks, responseWindow, type Window } from './windows.js';
import { fitVcTestPulse, VC_MEASURE, vcRecordingQc, vcResponseQc, type VcTestPulse } from './voltage-clamp.js';

/** One sweep's channels as plain arrays (SI units), e.g. read from NWB. */
export interface SweepInput {
  sweepNumber: number;
  channels: {
    key: string;
    rate: number;
    command: ArrayLike<number>;
    response: ArrayLike<number>;
    /** 'vc': command in V, response in A. Absent = current clamp. */
    clampMode?: string;
  }[];
}

export interface RecordingResult {
  key: string;
  rate: number;
  nSamples: number;
  baselinePotential: number;
  noiseSd: number;
  qcPass: boolean;
  qcReasons: string[];
  testPulse: TestPulseFit | null;
  /** Voltage clamp only: holding command (V), quiet current (A, `noiseSd` is then A too) and the step's resistances. */
  voltageClamp?: { holdingPotential: number; baselineCurrent: number; testPulse: VcTestPulse | null };
}

export interface StimPulseResult {
  /** Channel that received the pulse (the presynaptic cell). */
  key: string;
  pulseNumber: number;
  pulse: SquarePulse;
  onsetTime: number;
  previousPulseDt: number;
  spike: EvokedSpike | null;
}

export interface PulseResponseResult {
  pre: string;
  post: string;
  pulseNumber: number;
  /** Sample range of the post channel's response; `data` is a view on it, not a copy. */
  window: Window;
  data: ArrayLike<number>;
  /** Presynaptic max-slope time (s from sweep start). */
  spikeTime: number;
  strength: ResponseStrength;
  qc: ResponseQc;
  /** Index into `quietChunks` of the matched background snippet, and its measures. */
  baselineChunk: number;
  baseline: ResponseStrength | null;
}

export interface SweepAnalysis {
  sweepNumber: number;
  recordings: RecordingResult[];
  stimPulses: StimPulseResult[];
  quietChunks: Window[];
  responses: PulseResponseResult[];
}

/** Background snippets: the virtual pulse sits this far into the 20 ms chunk, like a real window's pre-pulse part. */
export const SNIPPET_PRE = 0.01;

/**
 * The dataset step for one sweep, pure: recordings with QC and test pulse, stimulus pulses
 * with their presynaptic spikes, quiet chunks, and every (pre, post, pulse) response window
 * with its measures, QC and matched background snippet. Nothing is copied: windows index
 * into the input arrays.
 */
export function analyzeSweep(
  experimentId: string,
  sweep: SweepInput,
  qcOptions: ResponseQcOptions = {},
): SweepAnalysis {
  const channels = sweep.channels.map((c) => {
    const vc = c.clampMode === 'vc';
    // A voltage-clamp command is steps in V (holding, test pulse): never a presynaptic drive.
    const all = findSquarePulses(c.command, vc ? 1e-6 : undefined);
    const pulses = vc ? [] : stimPulsesOf(all, c.rate);
    const testPulse = testPulseOf(all);
    return {
      ...c,
      vc,
      pulses,
      testPulse,
      spikes: pulses.map((p, k) => detectEvokedSpike(c.response, c.rate, p, pulses[k + 1]?.start)),
    };
  });
  const busy: Window[] = channels.flatMap((c) =>
    [...c.pulses, ...(c.testPulse ? [c.testPulse] : [])].map((p) => ({ start: p.start, stop: p.stop })),
  );
  const length = Math.min(...channels.map((c) => c.response.length));
  const quiet = channels.length ? quietChunks(busy, length, channels[0]!.rate) : [];
  const recordings: RecordingResult[] = channels.map((c) => {
    if (c.vc) {
      const tp = c.testPulse ? fitVcTestPulse(c.response, c.rate, c.testPulse) : null;
      const qc = vcRecordingQc(c.response, c.command, quiet, tp);
      return {
        key: c.key,
        rate: c.rate,
        nSamples: c.response.length,
        // aisynphys' convention: a VC recording's baseline potential is its holding command.
        baselinePotential: qc.holdingPotential,
        noiseSd: qc.noiseSd,
        qcPass: qc.pass,
        qcReasons: qc.reasons,
        testPulse: null,
        voltageClamp: { holdingPotential: qc.holdingPotential, baselineCurrent: qc.baselineCurrent, testPulse: tp },
      };
    }
    const qc = recordingQc(c.response, quiet);
    return {
      key: c.key,
      rate: c.rate,
      nSamples: c.response.length,
      baselinePotential: qc.baselinePotential,
      noiseSd: qc.noiseSd,
      qcPass: qc.pass,
      qcReasons: qc.reasons,
      testPulse: c.testPulse ? fitTestPulse(c.response, c.rate, c.testPulse) : null,
    };
  });
  const stimPulses: StimPulseResult[] = channels.flatMap((c) =>
    c.pulses.map((pulse, k) => ({
      key: c.key,
      pulseNumber: k,
      pulse,
      onsetTime: pulse.start / c.rate,
      previousPulseDt: k > 0 ? (pulse.start - c.pulses[k - 1]!.start) / c.rate : Infinity,
      spike: c.spikes[k]!,
    })),
  );
  const responses: PulseResponseResult[] = [];
  channels.forEach((pre) => {
    if (pre.pulses.length === 0) return;
    channels.forEach((post, j) => {
      if (post === pre) return;
      const spiking = pre.pulses.map((_, k) => k).filter((k) => pre.spikes[k]);
      const chunkOf = assignBaselines(
        spiking.length,
        quiet,
        `${experimentId} ${sweep.sweepNumber} ${pre.key} ${post.key}`,
      );
      spiking.forEach((k, n) => {
        const rate = post.rate;
        const pulse = pre.pulses[k]!;
        const spike = pre.spikes[k]!;
        const window = responseWindow(pre.pulses, k, rate, post.response.length);
        const data = view(post.response, window.start, window.stop);
        const measure = post.vc ? VC_MEASURE : {};
        const strength = measureResponse(
          data,
          rate,
          pulse.start - window.start,
          spike.maxSlopeTime - window.start / rate,
          measure,
        );
        const previousDt = k > 0 ? (pulse.start - pre.pulses[k - 1]!.start) / rate : Infinity;
        const qc = post.vc
          ? vcResponseQc(
              data,
              rate,
              strength.baseline,
              recordings[j]!.baselinePotential,
              true,
              previousDt,
              recordings[j]!.qcPass,
              qcOptions,
            )
          : responseQc(data, rate, strength.baseline, true, previousDt, recordings[j]!.qcPass, qcOptions);
        const chunk = chunkOf[n]!;
        const baseline =
          chunk >= 0
            ? measureResponse(
                view(post.response, quiet[chunk]!.start, quiet[chunk]!.stop),
                rate,
                Math.round(SNIPPET_PRE * rate),
                SNIPPET_PRE + (spike.maxSlopeTime - pulse.start / rate),
                measure,
              )
            : null;
        responses.push({
          pre: pre.key,
          post: post.key,
          pulseNumber: k,
          window,
          data,
          spikeTime: spike.maxSlopeTime,
          strength,
          qc,
          baselineChunk: chunk,
          baseline,
        });
      });
    });
  });
  return { sweepNumber: sweep.sweepNumber, recordings, stimPulses, quietChunks: quiet, responses };
}

function view(x: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return ArrayBuffer.isView(x)
    ? (x as unknown as Float64Array).subarray(from, to)
    : Array.prototype.slice.call(x, from, to);
}
