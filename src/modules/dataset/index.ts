import { deleteWhereIn } from '../../db/sql.js';
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

  async drop(em, jobIds) {
    // Children before parents: pulse_response points at stim_pulse, baseline and recording.
    const pulse_response = await deleteWhereIn(em, 'pulse_response', 'experiment_id', jobIds);
    const baseline = await deleteWhereIn(em, 'baseline', 'experiment_id', jobIds);
    const stim_pulse = await deleteWhereIn(em, 'stim_pulse', 'experiment_id', jobIds);
    const recording = await deleteWhereIn(em, 'recording', 'experiment_id', jobIds);
    return { pulse_response, baseline, stim_pulse, recording };
  },
};
