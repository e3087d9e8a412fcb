/** All quantities are SI: volts, amperes, seconds, ohms, hertz. */

export interface SimulationOptions {
  /** Cells (one pipette each) at the site; default 6. */
  cells?: number;
  /** Sweeps; each drives one presynaptic cell, round-robin. Default 5 per cell. */
  sweeps?: number;
  /** Probability that an ordered pair is connected; default 0.25. */
  connectionProbability?: number;
  /** Per ordered pair [pre][post], overriding connectionProbability (the sample data's class and distance model); default null. */
  pairProbabilities?: number[][] | null;
  /** Scales every cell's recording noise; default 1. */
  noise?: number;
  seed?: number;
  /** Samples per second; default 20 kHz. */
  sampleRate?: number;
  /** Sweep length (s); default 1. */
  sweepDuration?: number;
  /**
   * Onset shapes of the evoked PSPs: `smooth` (default) the fit model's squared rise, `sharp`
   * a single-exponential rise, `mixed` each connection one or the other with probability ½.
   */
  riseShapes?: RiseShapes;
  /**
   * Time from the end of the test pulse to the first train pulse (s), so the membrane is
   * still relaxing as the train starts; null (default) keeps the test pulse at 20 ms.
   */
  testPulseGap?: number | null;
  /** Membrane τ range (s) drawn per cell instead of τ = R·C from the capacitance range; null (default) = R·C. */
  membraneTau?: [number, number] | null;
  /**
   * Extra sweeps, after the current-clamp ones, in which the driven cell is in current clamp and
   * every other cell is held in voltage clamp at −70 mV (round-robin like the others); default 0.
   */
  voltageClampSweeps?: number;
}

export type RiseShapes = 'smooth' | 'sharp' | 'mixed';
export type RiseShape = 'smooth' | 'sharp';

export type ResolvedOptions = Required<SimulationOptions>;

export interface SimulatedCell {
  index: number;
  /** Electrode (pipette) name used in the NWB file. */
  electrode: string;
  restingPotential: number;
  inputResistance: number;
  membraneTau: number;
  capacitance: number;
  /** Total recording-noise SD (white + slow components). */
  noiseSd: number;
  /** Depolarisation above rest at which an action potential starts. */
  spikeThreshold: number;
  /** Amplitude of this cell's presynaptic drive pulses. */
  stimAmplitude: number;
  /** Background (spontaneous) PSP rate (Hz). */
  spontaneousRate: number;
}

export interface SimulatedChannel {
  cell: number;
  electrode: string;
  stimulusDescription: string;
  /** Set only on voltage-clamped channels; absent = current clamp. */
  clampMode?: 'vc';
  /** Injected current (A), or in voltage clamp the command potential (V). */
  command: Float32Array;
  /** Membrane potential (V), or in voltage clamp the clamp current (A). */
  response: Float32Array;
}

export interface SimulatedSweep {
  sweepNumber: number;
  /** Cell driven by the pulse train in this sweep. */
  preCell: number;
  startTime: number;
  channels: SimulatedChannel[];
  /** Max-slope times (s, from sweep start) of the presynaptic spikes, NaN for a pulse that failed to fire. */
  spikeTimes: number[];
}

export interface Plasticity {
  kind: 'depressing' | 'facilitating';
  /** Tsodyks–Markram release fraction, recovery and facilitation time constants. */
  u: number;
  tauRecovery: number;
  tauFacilitation: number;
}

export interface PairTruth {
  pre: number;
  post: number;
  preElectrode: string;
  postElectrode: string;
  connected: boolean;
  synapseType: 'ex' | 'in' | null;
  /** Mean first-pulse PSP peak (V, signed) over the simulated trials, failures included. */
  amplitude: number | null;
  /** The synapse's expected first-pulse amplitude (V, signed) the trials were drawn from. */
  expectedAmplitude: number | null;
  /** PSP onset after the presynaptic spike's max-slope time (s). */
  latency: number | null;
  /** PSP onset to peak (s). */
  riseTime: number | null;
  /** Onset shape: `smooth` = (1 − e^{−t/τr})², `sharp` = (1 − e^{−t/τr}) (see psp-model.ts). */
  riseShape: RiseShape | null;
  decayTau: number | null;
  failureRate: number | null;
  plasticity: Plasticity | null;
  /**
   * Mean delivered PSP amplitude (V, signed, failures included) of each of the 8 train and 4
   * recovery pulses over the trials whose presynaptic spike fired; null for a pulse that never did.
   */
  pulseAmplitudes?: (number | null)[];
  /** The same synapse seen in voltage clamp at −70 mV (A, s); only when the site has VC sweeps. */
  psc?: PscTruth;
}

export interface PscTruth {
  /** Mean first-pulse PSC peak (A, signed: inward < 0 for excitatory) over the VC trials, failures included. */
  amplitude: number | null;
  expectedAmplitude: number;
  /** Onset after the presynaptic spike (s): the PSP's. */
  latency: number;
  riseTime: number;
  decayTau: number;
}

/** A cell's voltage-clamp parameters (Ω, A). */
export interface VoltageClampCellTruth {
  index: number;
  accessResistance: number;
  /** Current that holds the cell at −70 mV. */
  holdingCurrent: number;
  noiseSd: number;
}

export interface SiteTruth {
  seed: number;
  sampleRate: number;
  /** Test pulse start and end (s from sweep start), and the first train pulse. */
  testPulse: { start: number; end: number };
  trainStart: number;
  cells: SimulatedCell[];
  pairs: PairTruth[];
  /** Holding potential and per-cell VC parameters; null without VC sweeps. */
  voltageClamp: { holdingPotential: number; cells: VoltageClampCellTruth[] } | null;
}

export interface SimulatedSite {
  options: ResolvedOptions;
  cells: SimulatedCell[];
  sweeps: SimulatedSweep[];
  truth: SiteTruth;
}
