import { bulkInsert, deleteWhereIn } from '../../db/sql.js';
import { failIfIgnored, jobFile, readYamlMapping } from '../../raw/read-file.js';
import type { PipelineModule } from '../types.js';
import { parseSliceYml } from './slice-yml.js';

/** Reads each slice folder's slice.yml into the `slice` table. */
export const sliceModule: PipelineModule = {
  name: 'slice',
  dependencies: [],
  version: '1',
  tables: ['slice'],
  scope: 'slice',
  rawInputs: (job) => [jobFile(job, 'slice.yml'), jobFile(job, 'ignore.txt')],

  async process({ em, job }) {
    failIfIgnored(job);
    const file = jobFile(job, 'slice.yml');
    const slice = parseSliceYml(file, readYamlMapping(file));
    await bulkInsert(
      em,
      'slice',
      {
        id: 'text',
        data_root: 'text',
        storage_path: 'text',
        specimen_id: 'text',
        species: 'text',
        genotype: 'text',
        age_days: 'int4',
        date: 'text',
        quality: 'int4',
        hemisphere: 'text',
        thickness_um: 'float8',
        project: 'text',
        meta: 'jsonb',
      },
      [
        {
          id: job.jobId,
          data_root: job.root,
          storage_path: job.dir,
          specimen_id: slice.specimenId,
          species: slice.species,
          genotype: slice.genotype,
          age_days: slice.ageDays,
          date: slice.date,
          quality: slice.quality,
          hemisphere: slice.hemisphere,
          thickness_um: slice.thicknessUm,
          project: slice.project,
          meta: slice.meta,
        },
      ],
    );
    return { rows: { slice: 1 } };
  },

  async drop(em, jobIds) {
    return { slice: await deleteWhereIn(em, 'slice', 'id', jobIds) };
  },
};
