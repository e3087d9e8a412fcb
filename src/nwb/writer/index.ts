export { writeIcephysNwb } from './write-icephys-nwb.js';
export { writeMiesNwb } from './write-mies-nwb.js';
export { NWB_VERSION } from './file-root.js';
export type { NwbRecordingInput, NwbSweepInput, NwbChannelInput, NwbWriteOptions } from './types.js';
