import { deleteWhereIn } from '../../db/sql.js';
import type { PipelineModule } from '../types.js';
import { processPulseResponse } from './process.js';

/** Per response window and its matched background snippet: amplitudes, latencies, deconvolved and template measures. */
export const pulseResponseModule: PipelineModule = {
  name: 'pulse_response',
  dependencies: ['dataset'],
  version: '1',
  tables: ['pulse_response_strength'],
  scope: 'experiment',
  rawInputs: () => [],
  process: processPulseResponse,
  async drop(em, jobIds) {
    return { pulse_response_strength: await deleteWhereIn(em, 'pulse_response_strength', 'experiment_id', jobIds) };
  },
};
