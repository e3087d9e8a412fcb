import { deleteWhereIn } from '../../db/sql.js';
import type { PipelineModule } from '../types.js';
import { processConnectionStrength } from './process.js';

/** Per ordered pair: foreground vs background statistics, synapse type, detection score, fitted average response. */
export const connectionStrengthModule: PipelineModule = {
  name: 'connection_strength',
  dependencies: ['pulse_response'],
  version: '2',
  tables: ['connection_strength'],
  scope: 'experiment',
  rawInputs: () => [],
  process: processConnectionStrength,
  async drop(em, jobIds) {
    return { connection_strength: await deleteWhereIn(em, 'connection_strength', 'experiment_id', jobIds) };
  },
};
