import { deleteWhereIn } from '../../db/sql.js';
import type { PipelineModule } from '../types.js';
import { processIntrinsic } from './process.js';

/** Per cell: resting potential, input resistance and τ from the test pulses, noise. */
export const intrinsicModule: PipelineModule = {
  name: 'intrinsic',
  dependencies: ['dataset'],
  version: '1',
  tables: ['intrinsic'],
  scope: 'experiment',
  rawInputs: () => [],
  process: processIntrinsic,
  async drop(em, jobIds) {
    return { intrinsic: await deleteWhereIn(em, 'intrinsic', 'experiment_id', jobIds) };
  },
};
