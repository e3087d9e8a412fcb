import { defineModule } from '../define-module.js';
import { AverageResponseSchema, ConnectionStrengthSchema } from './entities.js';
import { processConnectionStrength } from './process.js';

/** Per ordered pair: foreground vs background statistics, synapse type, detection score, fitted average response. */
export const connectionStrengthModule = defineModule({
  name: 'connection_strength',
  dependencies: ['pulse_response'],
  version: '3',
  scope: 'experiment',
  entities: [ConnectionStrengthSchema, AverageResponseSchema],
  process: processConnectionStrength,
});
