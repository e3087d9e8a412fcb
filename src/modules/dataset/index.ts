import { defineModule } from '../define-module.js';
import { BaselineSchema, PulseResponseSchema, RecordingSchema, StimPulseSchema } from './entities.js';
import { siteNwbFile } from './nwb-file.js';
import { DATASET_PARAMS, processDataset } from './process.js';

/** The NWB recording: sweeps, channels, QC, stimulus pulses and spikes, response windows and matched baselines. */
export const datasetModule = defineModule({
  name: 'dataset',
  dependencies: ['experiment'],
  version: '2',
  scope: 'experiment',
  entities: [RecordingSchema, StimPulseSchema, BaselineSchema, PulseResponseSchema],
  params: DATASET_PARAMS,
  rawInputs: (job) => [siteNwbFile(job)],
  process: processDataset,
});
