export { RawFile, Unsupported } from './raw-file.js';
export { directDataset, type DirectDataset } from './chunk-reader.js';
export type { DatasetShape } from './datatype.js';
export { openDirect } from './open-direct.js';
