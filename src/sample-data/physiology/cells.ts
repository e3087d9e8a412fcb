import type { Prng } from '../../util/prng.js';
import type { SimulatedCell } from './types.js';

/** Draws passive and firing properties in the ranges of cortical neurons in slices. */
export function drawCells(prng: Prng, count: number, noiseScale: number): SimulatedCell[] {
  const cells: SimulatedCell[] = [];
  for (let index = 0; index < count; index++) {
    const restingPotential = prng.uniform(-75e-3, -60e-3);
    const inputResistance = prng.logUniform(100e6, 300e6);
    const capacitance = prng.uniform(50e-12, 120e-12);
    const spikeThreshold = prng.uniform(10e-3, 15e-3);
    // Enough current to reach threshold in about 0.8 ms, within the 1.5–2 nA rigs use.
    const stimAmplitude = Math.min(2e-9, Math.max(1.5e-9, (1.4 * spikeThreshold * capacitance) / 0.8e-3));
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
