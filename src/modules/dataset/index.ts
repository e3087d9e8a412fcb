import { deleteJobRows } from '../../db/sql.js';
import type { PipelineModule } from '../types.js';
import { siteNwbFile } from './nwb-file.js';
import { processDataset } from './process.js';

/** The NWB recording: sweeps, channels, QC, stimulus pulses and spikes, response windows and matched baselines. */
export const datasetModule: PipelineModule = {
  name: 'dataset',
  dependencies: ['experiment'],
  version: '1',
  tables: ['recording', 'stim_pulse', 'baseline', 'pulse_response'],
  scope: 'experiment',
  rawInputs: (job) => [siteNwbFile(job)],
  process: processDataset,

  // Children before parents: pulse_response points at stim_pulse, baseline and recording.
  drop: (em, jobIds) =>
    deleteJobRows(em, jobIds, [
      ['pulse_response', 'experiment_id'],
      ['baseline', 'experiment_id'],
      ['stim_pulse', 'experiment_id'],
      ['recording', 'experiment_id'],
    ]),
};
