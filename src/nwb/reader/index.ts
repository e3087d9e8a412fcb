export { openNwb } from './open-nwb.js';
export type { NwbFile, NwbSweep, NwbChannel, NwbSeries, NwbElectrode, ClampMode, OpenNwbOptions } from './types.js';
