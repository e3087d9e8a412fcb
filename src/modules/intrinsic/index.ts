import { defineModule } from '../define-module.js';
import { IntrinsicSchema } from './entities.js';
import { processIntrinsic } from './process.js';

/** Per cell: resting potential, input resistance and τ from the test pulses, noise. */
export const intrinsicModule = defineModule({
  name: 'intrinsic',
  dependencies: ['dataset'],
  version: '1',
  scope: 'experiment',
  entities: [IntrinsicSchema],
  process: processIntrinsic,
});
