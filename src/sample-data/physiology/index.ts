export { simulateSite, resolveOptions } from './simulate-site.js';
export { PROTOCOL, trainPulseTimes } from './protocol.js';
export { Prng, hashString } from '../../util/prng.js';
export type * from './types.js';
export { toNwbInput } from './to-nwb-input.js';
