import { defineModule } from '../define-module.js';
import { PulseResponseStrengthSchema } from './entities.js';
import { processPulseResponse, PULSE_RESPONSE_PARAMS } from './process.js';

/** Per response window and its matched background snippet: amplitudes, latencies, deconvolved and template measures. */
export const pulseResponseModule = defineModule({
  name: 'pulse_response',
  dependencies: ['dataset'],
  version: '1',
  scope: 'experiment',
  entities: [PulseResponseStrengthSchema],
  params: PULSE_RESPONSE_PARAMS,
  process: processPulseResponse,
});
