import { insertRows } from '../../db/entity-rows.js';
import { failIfIgnored, jobFile, readYamlMapping } from '../../raw/read-file.js';
import { parseSiteYml } from '../../raw/site-yml.js';
import { sliceOf } from '../../workflow-safe/job-ids.js';
import type { ProcessContext, ProcessResult } from '../types.js';
import { CellSchema, ElectrodeSchema, ExperimentSchema, PairSchema } from './entities.js';
import { creTypeOf, distanceUm, hasCell, parsePipettesYml } from './pipettes-yml.js';

export async function processExperiment({ em, job }: ProcessContext): Promise<ProcessResult> {
  failIfIgnored(job);
  const siteFile = jobFile(job, 'site.yml');
  const pipettesFile = jobFile(job, 'pipettes.yml');
  const site = parseSiteYml(siteFile, readYamlMapping(siteFile));
  const pipettes = parsePipettesYml(pipettesFile, readYamlMapping(pipettesFile));
  const experiment = job.jobId;

  const { nwbFile, meta, ...siteFields } = site;
  await insertRows(em, ExperimentSchema, [
    { id: experiment, slice: sliceOf(experiment), storagePath: job.dir, ...siteFields, ephysFile: nwbFile, meta },
  ]);

  const electrodes = await insertRows(
    em,
    ElectrodeSchema,
    pipettes.map((p) => ({
      experiment,
      extId: p.id,
      deviceId: p.adChannel,
      patchStatus: p.status,
      gotData: p.gotData,
      startTime: p.patchStart,
      stopTime: p.patchStop,
    })),
    ['id', 'extId'],
  );
  const electrodeId = new Map(electrodes.map((row) => [row.extId, row.id]));

  const withCells = pipettes.filter(hasCell);
  const cells = await insertRows(
    em,
    CellSchema,
    withCells.map((p) => ({
      experiment,
      electrode: electrodeId.get(p.id)!,
      extId: p.id,
      creType: creTypeOf(p),
      labels: p.labels,
      targetLayer: p.targetLayer,
      morphology: p.morphology,
      positionUm: p.position,
      depthUm: p.depthUm,
      qc: p.qc,
    })),
    ['id', 'extId'],
  );
  const cellId = new Map(cells.map((row) => [row.extId, row.id]));

  const pairs = withCells.flatMap((pre) =>
    withCells
      .filter((post) => post !== pre)
      .map((post) => ({
        experiment,
        preCell: cellId.get(pre.id)!,
        postCell: cellId.get(post.id)!,
        distanceUm: distanceUm(pre.position, post.position),
      })),
  );
  await insertRows(em, PairSchema, pairs);
  return { rows: { experiment: 1, electrode: electrodes.length, cell: cells.length, pair: pairs.length } };
}
