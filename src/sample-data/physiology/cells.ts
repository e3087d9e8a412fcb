import type { Prng } from '../../util/prng.js';
import type { SimulatedCell } from './types.js';

/** Draws passive and firing properties in the ranges of cortical neurons in slices. */
export function drawCells(
  prng: Prng,
  count: number,
  noiseScale: number,
  membraneTau: [number, number] | null = null,
  tauPrng?: Prng,
): SimulatedCell[] {
  const cells: SimulatedCell[] = [];
  for (let index = 0; index < count; index++) {
    const restingPotential = prng.uniform(-75e-3, -60e-3);
    const inputResistance = prng.logUniform(100e6, 300e6);
    // A τ range replaces C = τ/R from its own stream: every other draw stays where it was.
    const drawnCapacitance = prng.uniform(50e-12, 120e-12);
    const capacitance = membraneTau
      ? tauPrng!.uniform(membraneTau[0], membraneTau[1]) / inputResistance
      : drawnCapacitance;
    const spikeThreshold = prng.uniform(10e-3, 15e-3);
    // Enough current to reach threshold in about 0.8 ms, within the 1.5–2 nA rigs use.
    // Slow cells of a τ range can have several hundred pF: let their drive grow past 2 nA so they still fire.
    const maxStim = membraneTau ? 12e-9 : 2e-9;
    const stimAmplitude = Math.min(maxStim, Math.max(1.5e-9, (1.4 * spikeThreshold * capacitance) / 0.8e-3));
    cells.push({
      index,
      electrode: `electrode_${index}`,
      restingPotential,
      inputResistance,
      membraneTau: inputResistance * capacitance,
      capacitance,
      noiseSd: prng.uniform(0.1e-3, 0.3e-3) * noiseScale,
      spikeThreshold,
      stimAmplitude,
      spontaneousRate: prng.uniform(0.5, 4),
    });
  }
  return cells;
}
