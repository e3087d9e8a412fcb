import { addPsp, pspShape, SHARP_ONSET, SMOOTH_ONSET, type PspShape } from '../../analysis/psp-model.js';
import { drawCells } from './cells.js';
import { drawConnections } from './connectivity.js';
import { simulateMembrane } from './membrane.js';
import { addNoise } from './noise.js';
import { releaseFactors } from './plasticity.js';
import { Prng } from '../../util/prng.js';
import { addSquarePulse, PROTOCOL, testPulseStart, trainPulseTimes } from './protocol.js';
import { simulateVcSweeps, VC_HOLDING } from './voltage-clamp.js';
import type {
  PairTruth,
  ResolvedOptions,
  SimulatedChannel,
  SimulatedSite,
  SimulatedSweep,
  SimulationOptions,
} from './types.js';

/** Trial-to-trial amplitude CV of successful releases and latency jitter SD. */
const AMPLITUDE_CV = 0.3;
const LATENCY_JITTER = 0.1e-3;

export function resolveOptions(options: SimulationOptions = {}): ResolvedOptions {
  const cells = options.cells ?? 6;
  const resolved: ResolvedOptions = {
    cells,
    sweeps: options.sweeps ?? cells * 5,
    connectionProbability: options.connectionProbability ?? 0.25,
    pairProbabilities: options.pairProbabilities ?? null,
    noise: options.noise ?? 1,
    seed: options.seed ?? 1,
    sampleRate: options.sampleRate ?? 20000,
    sweepDuration: options.sweepDuration ?? 1,
    riseShapes: options.riseShapes ?? 'smooth',
    testPulseGap: options.testPulseGap ?? null,
    membraneTau: options.membraneTau ?? null,
    voltageClampSweeps: options.voltageClampSweeps ?? 0,
  };
  if (!Number.isInteger(resolved.cells) || resolved.cells < 2 || resolved.cells > 16)
    throw new RangeError('cells must be an integer in 2..16');
  if (!Number.isInteger(resolved.sweeps) || resolved.sweeps < 1)
    throw new RangeError('sweeps must be a positive integer');
  if (!(resolved.connectionProbability >= 0 && resolved.connectionProbability <= 1))
    throw new RangeError('connectionProbability must be in 0..1');
  if (!(resolved.noise >= 0)) throw new RangeError('noise must be >= 0');
  if (!(resolved.sampleRate >= 5000)) throw new RangeError('sampleRate must be >= 5 kHz to resolve spikes');
  if (!(resolved.sweepDuration >= 0.8)) throw new RangeError('sweepDuration must be >= 0.8 s to hold the protocol');
  if (!['smooth', 'sharp', 'mixed'].includes(resolved.riseShapes))
    throw new RangeError('riseShapes must be smooth, sharp or mixed');
  const gap = resolved.testPulseGap;
  if (gap !== null && !(gap >= 0.002 && gap <= PROTOCOL.trainStart - PROTOCOL.testPulseDuration - 0.01))
    throw new RangeError('testPulseGap must be from 2 ms to 250 ms');
  if (!Number.isInteger(resolved.voltageClampSweeps) || resolved.voltageClampSweeps < 0)
    throw new RangeError('voltageClampSweeps must be a non-negative integer');
  const tau = resolved.membraneTau;
  if (tau !== null && !(tau[0] >= 1e-3 && tau[1] >= tau[0] && tau[1] <= 0.1))
    throw new RangeError('membraneTau must be a range within 1–100 ms');
  return resolved;
}

/** Simulates one multipatch site: deterministic for a given seed and options. */
export function simulateSite(options: SimulationOptions = {}): SimulatedSite {
  const opts = resolveOptions(options);
  const root = new Prng(opts.seed);
  // Streams of the newer options are seeded apart from the root, so the defaults draw exactly as before.
  const cells = drawCells(
    root.fork('cells'),
    opts.cells,
    opts.noise,
    opts.membraneTau,
    new Prng(`${opts.seed}:membrane-tau`),
  );
  const pairs = drawConnections(root.fork('connections'), cells, opts.connectionProbability, opts.pairProbabilities);
  const shapeDraws = new Prng(`${opts.seed}:rise-shapes`);
  const shapes = new Map<PairTruth, PspShape>();
  for (const pair of pairs) {
    if (!pair.connected) continue;
    const sharp = opts.riseShapes === 'sharp' || (opts.riseShapes === 'mixed' && shapeDraws.random() < 0.5);
    pair.riseShape = sharp ? 'sharp' : 'smooth';
    shapes.set(pair, pspShape(pair.riseTime!, pair.decayTau!, sharp ? SHARP_ONSET : SMOOTH_ONSET));
  }
  const testPulseAt = testPulseStart(opts.testPulseGap);
  const firstPulse = new Map<PairTruth, number[]>();
  // Per connection and pulse of the train and recovery: sum and count of delivered amplitudes (pulses that fired).
  const perPulse = new Map<PairTruth, { sum: number[]; n: number[] }>();

  const rate = opts.sampleRate;
  const n = Math.round(opts.sweepDuration * rate);
  const pulses = trainPulseTimes();
  const sweeps: SimulatedSweep[] = [];
  for (let s = 0; s < opts.sweeps; s++) {
    const prng = root.fork(`sweep:${s}`);
    const preCell = s % opts.cells;
    const channels: SimulatedChannel[] = cells.map((cell) => {
      const command = new Float32Array(n);
      addSquarePulse(command, rate, testPulseAt, PROTOCOL.testPulseDuration, PROTOCOL.testPulseAmplitude);
      if (cell.index === preCell)
        for (const t of pulses) addSquarePulse(command, rate, t, PROTOCOL.pulseDuration, cell.stimAmplitude);
      return {
        cell: cell.index,
        electrode: cell.electrode,
        stimulusDescription: cell.index === preCell ? 'PulseTrain_50Hz_DA_0' : 'TestPulse_only_DA_0',
        command,
        response: new Float32Array(n),
      };
    });
    let spikeTimes: number[] = [];
    for (const ch of channels) {
      const spikes = simulateMembrane(cells[ch.cell]!, ch.command, rate, ch.response);
      if (ch.cell === preCell)
        spikeTimes = pulses.map((t) => spikes.find((x) => x >= t && x < t + 0.006) ?? Number.NaN);
    }
    for (const ch of channels) {
      const cell = cells[ch.cell]!;
      const events = prng.fork(`events:${ch.cell}`);
      addSpontaneous(ch.response, rate, cell.spontaneousRate, events);
      if (ch.cell !== preCell) {
        const pair = pairs.find((p) => p.pre === preCell && p.post === ch.cell);
        if (pair?.connected) {
          const amps = evokedAmplitudes(pair, spikeTimes, events);
          spikeTimes.forEach((t, k) => {
            if (Number.isNaN(t) || amps[k] === 0) return;
            addPsp(
              ch.response,
              rate,
              0,
              t + pair.latency! + LATENCY_JITTER * events.normal(),
              amps[k]!,
              shapes.get(pair)!,
            );
          });
          const acc = perPulse.get(pair) ?? { sum: pulses.map(() => 0), n: pulses.map(() => 0) };
          spikeTimes.forEach((t, k) => {
            if (Number.isNaN(t)) return;
            acc.sum[k]! += amps[k]!;
            acc.n[k]! += 1;
          });
          perPulse.set(pair, acc);
          if (!Number.isNaN(spikeTimes[0]!)) {
            const list = firstPulse.get(pair) ?? [];
            list.push(amps[0]!);
            firstPulse.set(pair, list);
          }
        }
      }
      addNoise(ch.response, rate, cell.noiseSd, prng.fork(`noise:${ch.cell}`));
    }
    sweeps.push({ sweepNumber: s, preCell, startTime: s * (opts.sweepDuration + 2), channels, spikeTimes });
  }
  // Truth amplitude: what these trials actually delivered on the first pulse, failures included.
  for (const pair of pairs) {
    const list = firstPulse.get(pair);
    if (pair.connected && list && list.length > 0) pair.amplitude = list.reduce((a, b) => a + b, 0) / list.length;
    const acc = perPulse.get(pair);
    if (pair.connected && acc) pair.pulseAmplitudes = acc.sum.map((x, k) => (acc.n[k]! > 0 ? x / acc.n[k]! : null));
  }
  const testPulse = { start: testPulseAt, end: testPulseAt + PROTOCOL.testPulseDuration };
  // Voltage-clamp sweeps come after, from their own stream: without them nothing above changes.
  const vc = opts.voltageClampSweeps > 0 ? simulateVcSweeps(opts, cells, pairs, evokedAmplitudes) : null;
  if (vc) sweeps.push(...vc.sweeps);
  const voltageClamp = vc ? { holdingPotential: VC_HOLDING, cells: vc.vcCells } : null;
  return {
    options: opts,
    cells,
    sweeps,
    truth: {
      seed: opts.seed,
      sampleRate: rate,
      testPulse,
      trainStart: PROTOCOL.trainStart,
      cells,
      pairs,
      voltageClamp,
    },
  };
}

/** Per-spike signed PSP amplitudes: plasticity × release variability, with failures. */
function evokedAmplitudes(pair: PairTruth, spikeTimes: number[], prng: Prng): number[] {
  const factors = releaseFactors(pair.plasticity!, spikeTimes);
  const pFail = pair.failureRate!;
  const sigma = Math.sqrt(Math.log(1 + AMPLITUDE_CV * AMPLITUDE_CV));
  return factors.map((f) => {
    if (f === 0 || prng.random() < pFail) return 0;
    const variability = Math.exp(sigma * prng.normal() - (sigma * sigma) / 2);
    // Scaled by 1/(1 - pFail) so the mean over trials (failures included) is expected·f.
    return (pair.expectedAmplitude! * f * variability) / (1 - pFail);
  });
}

/** Background synaptic activity: Poisson PSPs, mostly excitatory, independent of the stimulus. */
function addSpontaneous(out: Float32Array, rate: number, eventRate: number, prng: Prng): void {
  const duration = out.length / rate;
  let t = -0.05;
  for (;;) {
    t += -Math.log(1 - prng.random()) / eventRate;
    if (t >= duration) break;
    const sign = prng.random() < 0.8 ? 1 : -1;
    const amp = sign * 0.2e-3 * Math.exp(0.5 * prng.normal());
    addPsp(out, rate, 0, t, amp, pspShape(prng.uniform(1e-3, 3e-3), prng.uniform(8e-3, 30e-3)));
  }
}
