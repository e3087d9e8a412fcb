export { RawFile, Unsupported } from './raw-file.js';
export { directDataset, type DirectDataset, type DatasetShape } from './chunk-reader.js';
export { openDirect } from './open-direct.js';
