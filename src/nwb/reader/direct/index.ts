export { RawFile, Unsupported } from './raw-file.js';
export { directDataset, type DirectDataset } from './chunk-reader.js';
export type { DatasetShape } from './datatype.js';
export { openDirect, openObject, openScalar } from './open-direct.js';
export type { HeaderAttributes } from './attributes.js';
