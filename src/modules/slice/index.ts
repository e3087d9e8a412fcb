import { jobFile } from '../../raw/read-file.js';
import { defineModule } from '../define-module.js';
import { SliceSchema } from './entities.js';
import { processSlice } from './process.js';

/** Reads each slice folder's slice.yml into the `slice` table. */
export const sliceModule = defineModule({
  name: 'slice',
  dependencies: [],
  version: '1',
  scope: 'slice',
  entities: [SliceSchema],
  rawInputs: (job) => [jobFile(job, 'slice.yml'), jobFile(job, 'ignore.txt')],
  process: processSlice,
});
