import { insertRows } from '../../db/entity-rows.js';
import { failIfIgnored, jobFile, readYamlMapping } from '../../raw/read-file.js';
import type { ProcessContext, ProcessResult } from '../types.js';
import { SliceSchema } from './entities.js';
import { parseSliceYml } from './slice-yml.js';

export async function processSlice({ em, job }: ProcessContext): Promise<ProcessResult> {
  failIfIgnored(job);
  const file = jobFile(job, 'slice.yml');
  const { meta, ...slice } = parseSliceYml(file, readYamlMapping(file));
  await insertRows(em, SliceSchema, [{ id: job.jobId, dataRoot: job.root, storagePath: job.dir, ...slice, meta }]);
  return { rows: { slice: 1 } };
}
