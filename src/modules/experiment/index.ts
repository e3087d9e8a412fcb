import { jobFile } from '../../raw/read-file.js';
import { defineModule } from '../define-module.js';
import { CellSchema, ElectrodeSchema, ExperimentSchema, PairSchema } from './entities.js';
import { processExperiment } from './process.js';

/** Reads site.yml and pipettes.yml: one experiment, its electrodes, cells and every ordered cell pair. */
export const experimentModule = defineModule({
  name: 'experiment',
  dependencies: ['slice'],
  version: '2',
  scope: 'experiment',
  entities: [ExperimentSchema, ElectrodeSchema, CellSchema, PairSchema],
  rawInputs: (job) => ['site.yml', 'pipettes.yml', 'ignore.txt'].map((name) => jobFile(job, name)),
  process: processExperiment,
});
