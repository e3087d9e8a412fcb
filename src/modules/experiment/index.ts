import { bulkInsert, deleteJobRows } from '../../db/sql.js';
import { failIfIgnored, jobFile, readYamlMapping } from '../../raw/read-file.js';
import type { PipelineModule } from '../types.js';
import { creTypeOf, distanceUm, hasCell, parsePipettesYml } from './pipettes-yml.js';
import { parseSiteYml } from './site-yml.js';

/** Reads site.yml and pipettes.yml: one experiment, its electrodes, cells and every ordered cell pair. */
export const experimentModule: PipelineModule = {
  name: 'experiment',
  dependencies: ['slice'],
  version: '1',
  tables: ['experiment', 'electrode', 'cell', 'pair'],
  scope: 'experiment',
  rawInputs: (job) => ['site.yml', 'pipettes.yml', 'ignore.txt'].map((name) => jobFile(job, name)),

  async process({ em, job }) {
    failIfIgnored(job);
    const siteFile = jobFile(job, 'site.yml');
    const pipettesFile = jobFile(job, 'pipettes.yml');
    const site = parseSiteYml(siteFile, readYamlMapping(siteFile));
    const pipettes = parsePipettesYml(pipettesFile, readYamlMapping(pipettesFile));
    const experimentId = job.jobId;
    const sliceId = experimentId.split('/')[0];

    await bulkInsert(
      em,
      'experiment',
      {
        id: 'text',
        slice_id: 'text',
        storage_path: 'text',
        acq_timestamp: 'float8',
        date: 'text',
        target_region: 'text',
        target_temperature_c: 'float8',
        rig_name: 'text',
        operator_name: 'text',
        internal: 'text',
        acsf: 'text',
        ephys_file: 'text',
        meta: 'jsonb',
      },
      [
        {
          id: experimentId,
          slice_id: sliceId,
          storage_path: job.dir,
          acq_timestamp: site.acqTimestamp,
          date: site.date,
          target_region: site.targetRegion,
          target_temperature_c: site.targetTemperatureC,
          rig_name: site.rigName,
          operator_name: site.operatorName,
          internal: site.internal,
          acsf: site.acsf,
          ephys_file: site.nwbFile,
          meta: site.meta,
        },
      ],
    );

    const electrodes = await bulkInsert(
      em,
      'electrode',
      {
        experiment_id: 'text',
        ext_id: 'text',
        device_id: 'int4',
        patch_status: 'text',
        got_data: 'bool',
        start_time: 'text',
        stop_time: 'text',
      },
      pipettes.map((p) => ({
        experiment_id: experimentId,
        ext_id: p.id,
        device_id: p.adChannel,
        patch_status: p.status,
        got_data: p.gotData,
        start_time: p.patchStart,
        stop_time: p.patchStop,
      })),
      ['id', 'ext_id'],
    );
    const electrodeId = new Map(electrodes.map((row) => [row.ext_id as string, row.id as number]));

    const withCells = pipettes.filter(hasCell);
    const cells = await bulkInsert(
      em,
      'cell',
      {
        experiment_id: 'text',
        electrode_id: 'int4',
        ext_id: 'text',
        cre_type: 'text',
        labels: 'jsonb',
        target_layer: 'text',
        position_um: 'jsonb',
        depth_um: 'float8',
        qc: 'jsonb',
      },
      withCells.map((p) => ({
        experiment_id: experimentId,
        electrode_id: electrodeId.get(p.id),
        ext_id: p.id,
        cre_type: creTypeOf(p),
        labels: p.labels,
        target_layer: p.targetLayer,
        position_um: p.position,
        depth_um: p.depthUm,
        qc: p.qc,
      })),
      ['id', 'ext_id'],
    );
    const cellId = new Map(cells.map((row) => [row.ext_id as string, row.id as number]));

    const pairs = withCells.flatMap((pre) =>
      withCells
        .filter((post) => post !== pre)
        .map((post) => ({
          experiment_id: experimentId,
          pre_cell_id: cellId.get(pre.id),
          post_cell_id: cellId.get(post.id),
          distance_um: distanceUm(pre.position, post.position),
        })),
    );
    await bulkInsert(
      em,
      'pair',
      { experiment_id: 'text', pre_cell_id: 'int4', post_cell_id: 'int4', distance_um: 'float8' },
      pairs,
    );
    return { rows: { experiment: 1, electrode: electrodes.length, cell: cells.length, pair: pairs.length } };
  },

  // Children before parents: the foreign keys point up the tree.
  drop: (em, jobIds) =>
    deleteJobRows(em, jobIds, [
      ['pair', 'experiment_id'],
      ['cell', 'experiment_id'],
      ['electrode', 'experiment_id'],
      ['experiment', 'id'],
    ]),
};
