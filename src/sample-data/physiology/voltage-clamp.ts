import { addPsp, pspShape, SHARP_ONSET, SMOOTH_ONSET, type PspShape } from '../../analysis/psp-model.js';
import { Prng } from '../../util/prng.js';
import { simulateMembrane } from './membrane.js';
import { addNoise } from './noise.js';
import { addSquarePulse, PROTOCOL, trainPulseTimes } from './protocol.js';
import type {
  PairTruth,
  ResolvedOptions,
  SimulatedCell,
  SimulatedChannel,
  SimulatedSweep,
  VoltageClampCellTruth,
} from './types.js';

/** The holding potential of the voltage-clamped postsynaptic cells (V), as aisynphys' −70 mV EPSC sweeps. */
export const VC_HOLDING = -70e-3;
/** The voltage-clamp test pulse: −5 mV for 40 ms at the CC test pulse's time. */
export const VC_TEST_PULSE = -5e-3;
const LATENCY_JITTER = 0.1e-3;

/**
 * Draws what a postsynaptic cell in voltage clamp adds to its current-clamp parameters: series
 * (access) resistance, the current that holds it at −70 mV, and current noise.
 */
export function drawVcCells(cells: SimulatedCell[], prng: Prng): VoltageClampCellTruth[] {
  return cells.map((c) => {
    const accessResistance = prng.uniform(8e6, 20e6);
    return {
      index: c.index,
      accessResistance,
      holdingCurrent: (VC_HOLDING - c.restingPotential) / (c.inputResistance + accessResistance),
      // A clamped soma turns the membrane's voltage noise into current noise of about C·σV / 10 ms.
      noiseSd: (c.noiseSd * c.capacitance) / 10e-3,
    };
  });
}

/**
 * PSC kinetics and size of every connection. The clamp removes the membrane's filtering, so a
 * PSC rises and decays faster than its PSP; its charge is about twice C·PSP (the membrane leaks
 * while the PSP builds), so peak current ≈ 2·C·|PSP| / τ. Inward (negative) for excitatory.
 */
export function drawPscs(pairs: PairTruth[], cells: SimulatedCell[], prng: Prng): Map<PairTruth, PspShape> {
  const shapes = new Map<PairTruth, PspShape>();
  for (const pair of pairs) {
    if (!pair.connected) continue;
    const riseTime = prng.uniform(0.8e-3, 2e-3);
    const decayTau = prng.uniform(4e-3, 12e-3);
    const c = cells[pair.post]!.capacitance;
    pair.psc = {
      amplitude: null,
      expectedAmplitude: (-2 * c * pair.expectedAmplitude!) / decayTau,
      latency: pair.latency!,
      riseTime,
      decayTau,
    };
    shapes.set(pair, pspShape(riseTime, decayTau, pair.riseShape === 'sharp' ? SHARP_ONSET : SMOOTH_ONSET));
  }
  return shapes;
}

/** Per-spike signed amplitudes of one trial (the CC synapse's model); see simulate-site.ts. */
export type EvokedAmplitudes = (pair: PairTruth, spikeTimes: number[], prng: Prng) => number[];

/**
 * Sweeps in which the driven cell is in current clamp and every other cell is held in voltage
 * clamp at −70 mV: command in V (holding + test pulse), response in A (holding current, the
 * test pulse's capacitive transient and steady step, PSCs, spontaneous PSCs, noise). Their
 * draws come from their own stream, so they leave the current-clamp sweeps as they were.
 */
export function simulateVcSweeps(
  opts: ResolvedOptions,
  cells: SimulatedCell[],
  pairs: PairTruth[],
  evoked: EvokedAmplitudes,
): { sweeps: SimulatedSweep[]; vcCells: VoltageClampCellTruth[] } {
  const root = new Prng(`${opts.seed}:voltage-clamp`);
  const vcCells = drawVcCells(cells, root.fork('cells'));
  const shapes = drawPscs(pairs, cells, root.fork('pscs'));
  const first = new Map<PairTruth, number[]>();
  const rate = opts.sampleRate;
  const n = Math.round(opts.sweepDuration * rate);
  const pulses = trainPulseTimes();
  const sweeps: SimulatedSweep[] = [];
  for (let s = 0; s < opts.voltageClampSweeps; s++) {
    const sweepNumber = opts.sweeps + s;
    const prng = root.fork(`sweep:${s}`);
    const preCell = s % opts.cells;
    const pre = cells[preCell]!;
    const preCommand = new Float32Array(n);
    addSquarePulse(preCommand, rate, PROTOCOL.testPulseStart, PROTOCOL.testPulseDuration, PROTOCOL.testPulseAmplitude);
    for (const t of pulses) addSquarePulse(preCommand, rate, t, PROTOCOL.pulseDuration, pre.stimAmplitude);
    const preResponse = new Float32Array(n);
    const spikes = simulateMembrane(pre, preCommand, rate, preResponse);
    const spikeTimes = pulses.map((t) => spikes.find((x) => x >= t && x < t + 0.006) ?? Number.NaN);
    addNoise(preResponse, rate, pre.noiseSd, prng.fork(`noise:${preCell}`));
    const channels: SimulatedChannel[] = cells.map((cell) => {
      if (cell.index === preCell)
        return {
          cell: cell.index,
          electrode: cell.electrode,
          stimulusDescription: 'PulseTrain_50Hz_DA_0',
          command: preCommand,
          response: preResponse,
        };
      const vc = vcCells[cell.index]!;
      const command = new Float32Array(n).fill(VC_HOLDING);
      addSquarePulse(command, rate, PROTOCOL.testPulseStart, PROTOCOL.testPulseDuration, VC_TEST_PULSE);
      const response = clampCurrent(cell, vc, command, rate);
      const events = prng.fork(`events:${cell.index}`);
      addSpontaneousPscs(response, rate, cell.spontaneousRate, vc, events);
      const pair = pairs.find((p) => p.pre === preCell && p.post === cell.index);
      if (pair?.connected) {
        const scale = pair.psc!.expectedAmplitude / pair.expectedAmplitude!;
        const amps = evoked(pair, spikeTimes, events).map((a) => a * scale);
        spikeTimes.forEach((t, k) => {
          if (Number.isNaN(t) || amps[k] === 0) return;
          addPsp(response, rate, 0, t + pair.latency! + LATENCY_JITTER * events.normal(), amps[k]!, shapes.get(pair)!);
        });
        if (!Number.isNaN(spikeTimes[0]!)) first.set(pair, [...(first.get(pair) ?? []), amps[0]!]);
      }
      addNoise(response, rate, vc.noiseSd, prng.fork(`noise:${cell.index}`));
      return {
        cell: cell.index,
        electrode: cell.electrode,
        stimulusDescription: 'TestPulse_only_VC_DA_0',
        clampMode: 'vc' as const,
        command,
        response,
      };
    });
    sweeps.push({ sweepNumber, preCell, startTime: sweepNumber * (opts.sweepDuration + 2), channels, spikeTimes });
  }
  // Truth amplitude: the mean first-pulse PSC these trials delivered, failures included.
  for (const [pair, list] of first) pair.psc!.amplitude = list.reduce((a, b) => a + b, 0) / list.length;
  return { sweeps, vcCells };
}

/**
 * Current through an ideal clamp of a passive cell behind its access resistance: the steady
 * (V − rest)/(Rin + Ra) plus, at each command step, a transient ΔV/Ra decaying with τ = Ra·Rin·C/(Ra + Rin).
 */
function clampCurrent(cell: SimulatedCell, vc: VoltageClampCellTruth, command: Float32Array, rate: number) {
  const ra = vc.accessResistance;
  const rin = cell.inputResistance;
  const decay = Math.exp(-1 / (rate * ((ra * rin * cell.capacitance) / (ra + rin))));
  const out = new Float32Array(command.length);
  let transient = 0;
  for (let i = 0; i < command.length; i++) {
    if (i > 0 && command[i] !== command[i - 1]) transient += (command[i]! - command[i - 1]!) / ra;
    out[i] = (command[i]! - cell.restingPotential) / (rin + ra) + transient;
    transient *= decay;
  }
  return out;
}

/** Background synaptic currents: Poisson PSCs, mostly inward (excitatory), a few pA. */
function addSpontaneousPscs(out: Float32Array, rate: number, eventRate: number, vc: VoltageClampCellTruth, prng: Prng) {
  const duration = out.length / rate;
  let t = -0.05;
  for (;;) {
    t += -Math.log(1 - prng.random()) / eventRate;
    if (t >= duration) break;
    const sign = prng.random() < 0.8 ? -1 : 1;
    const amp = sign * 2 * vc.noiseSd * Math.exp(0.5 * prng.normal());
    addPsp(out, rate, 0, t, amp, pspShape(prng.uniform(0.8e-3, 2e-3), prng.uniform(4e-3, 12e-3)));
  }
}
