import type { SimulatedSite } from './physiology/index.js';
import type { SampleSite } from './metadata.js';

/** Ground truth of one pair, in the units people read (mV, ms), keyed like the database (experiment id, pipette ids). */
export interface PairTruthRecord {
  experiment_id: string;
  pre_pipette: string;
  post_pipette: string;
  connected: boolean;
  synapse_type: 'ex' | 'in' | null;
  amplitude_mv: number | null;
  expected_amplitude_mv: number | null;
  latency_ms: number | null;
  rise_time_ms: number | null;
  /** `smooth` = the fit model's squared rise, `sharp` = a single-exponential onset. */
  rise_shape: 'smooth' | 'sharp' | null;
  decay_tau_ms: number | null;
  failure_rate: number | null;
  /** Mean delivered amplitude (mV) of each train pulse then each recovery pulse, as the trials gave them. */
  pulse_amplitudes_mv: (number | null)[] | null;
  /** The synapse's plasticity kind the trials were drawn with. */
  plasticity: 'depressing' | 'facilitating' | null;
  /** The same synapse in voltage clamp at −70 mV (A, ms); present only when the site has VC sweeps. */
  psc?: PscTruthRecord | null;
}

/** PSC of one connection: amplitudes in amperes (signed: inward < 0 for excitatory), times in ms. */
export interface PscTruthRecord {
  amplitude_a: number | null;
  expected_amplitude_a: number;
  latency_ms: number;
  rise_time_ms: number;
  decay_tau_ms: number;
  holding_potential_mv: number;
}

export interface CellTruthRecord {
  experiment_id: string;
  pipette: string;
  resting_potential_mv: number;
  input_resistance_mohm: number;
  membrane_tau_ms: number;
  noise_sd_mv: number;
  /** Voltage-clamp parameters, only when the site has VC sweeps. */
  access_resistance_mohm?: number;
  holding_current_pa?: number;
  vc_noise_sd_pa?: number;
}

const scaled = (x: number | null, k: number) => (x === null ? null : Number((x * k).toPrecision(6)));

/** The simulator's truth (SI, cell indices) mapped to the site's pipettes (cell i is on pipette i's ad_channel). */
export function siteTruth(
  site: SampleSite,
  sim: SimulatedSite,
): { pairs: PairTruthRecord[]; cells: CellTruthRecord[] } {
  const pipette = (index: number) => site.cells[index]!.pipette;
  return {
    pairs: sim.truth.pairs.map((t) => ({
      experiment_id: site.experimentId,
      pre_pipette: pipette(t.pre),
      post_pipette: pipette(t.post),
      connected: t.connected,
      synapse_type: t.synapseType,
      amplitude_mv: scaled(t.amplitude, 1e3),
      expected_amplitude_mv: scaled(t.expectedAmplitude, 1e3),
      latency_ms: scaled(t.latency, 1e3),
      rise_time_ms: scaled(t.riseTime, 1e3),
      rise_shape: t.riseShape,
      decay_tau_ms: scaled(t.decayTau, 1e3),
      failure_rate: t.failureRate,
      pulse_amplitudes_mv: t.pulseAmplitudes?.map((a) => scaled(a, 1e3)) ?? null,
      plasticity: t.plasticity?.kind ?? null,
      // Only sites with VC sweeps get the key, so default truth files stay as they were.
      ...(sim.truth.voltageClamp ? { psc: pscRecord(t, sim.truth.voltageClamp.holdingPotential) } : {}),
    })),
    cells: sim.cells.map((c) => ({
      experiment_id: site.experimentId,
      pipette: pipette(c.index),
      resting_potential_mv: scaled(c.restingPotential, 1e3)!,
      input_resistance_mohm: scaled(c.inputResistance, 1e-6)!,
      membrane_tau_ms: scaled(c.membraneTau, 1e3)!,
      noise_sd_mv: scaled(c.noiseSd, 1e3)!,
      ...vcCell(sim, c.index),
    })),
  };
}

function pscRecord(t: SimulatedSite['truth']['pairs'][number], holding: number): PscTruthRecord | null {
  if (!t.psc) return null;
  return {
    amplitude_a: t.psc.amplitude === null ? null : Number(t.psc.amplitude.toPrecision(6)),
    expected_amplitude_a: Number(t.psc.expectedAmplitude.toPrecision(6)),
    latency_ms: scaled(t.psc.latency, 1e3)!,
    rise_time_ms: scaled(t.psc.riseTime, 1e3)!,
    decay_tau_ms: scaled(t.psc.decayTau, 1e3)!,
    holding_potential_mv: scaled(holding, 1e3)!,
  };
}

function vcCell(sim: SimulatedSite, index: number): Partial<CellTruthRecord> {
  const vc = sim.truth.voltageClamp?.cells[index];
  if (!vc) return {};
  return {
    access_resistance_mohm: scaled(vc.accessResistance, 1e-6)!,
    holding_current_pa: scaled(vc.holdingCurrent, 1e12)!,
    vc_noise_sd_pa: scaled(vc.noiseSd, 1e12)!,
  };
}
