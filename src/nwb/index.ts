export * from './reader/index.js';
export * from './writer/index.js';
export { NwbFormatError } from './errors.js';
