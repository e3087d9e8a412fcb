import { defineModule } from '../define-module.js';
import { AverageResponseSchema, ConnectionStrengthSchema, ConnectionStrengthVcSchema } from './entities.js';
import { processConnectionStrength } from './process.js';

/** Per ordered pair: foreground vs background statistics, synapse type, detection score, fitted average response; current clamp and voltage clamp apart. */
export const connectionStrengthModule = defineModule({
  name: 'connection_strength',
  dependencies: ['pulse_response'],
  version: '5',
  scope: 'experiment',
  entities: [ConnectionStrengthSchema, AverageResponseSchema, ConnectionStrengthVcSchema],
  process: processConnectionStrength,
});
