import { defineModule } from '../define-module.js';
import { PulseResponseStrengthSchema, PulseResponseVcStrengthSchema } from './entities.js';
import { processPulseResponse, PULSE_RESPONSE_PARAMS } from './process.js';

/** Per response window and its matched background snippet: amplitudes, latencies, deconvolved and template measures; current and voltage clamp in their own tables. */
export const pulseResponseModule = defineModule({
  name: 'pulse_response',
  dependencies: ['dataset'],
  version: '2',
  scope: 'experiment',
  entities: [PulseResponseStrengthSchema, PulseResponseVcStrengthSchema],
  params: PULSE_RESPONSE_PARAMS,
  process: processPulseResponse,
});
