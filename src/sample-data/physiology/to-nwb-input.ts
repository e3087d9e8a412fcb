import type { NwbRecordingInput } from '../../nwb/writer/types.js';
import type { SimulatedSite } from './types.js';

/** The simulated site as the NWB writers' input (no copies: arrays are shared). */
export function toNwbInput(site: SimulatedSite): NwbRecordingInput {
  return {
    sampleRate: site.options.sampleRate,
    electrodes: site.cells.map((c) => c.electrode),
    sweeps: site.sweeps.map((s) => ({ sweepNumber: s.sweepNumber, startTime: s.startTime, channels: s.channels })),
  };
}
