import { classPairModel, lateralDistanceUm, pairProbabilities, SAMPLE_CLASSES } from './class-connectivity.js';
import type { SampleSite } from './metadata.js';

/**
 * truth/connectivity.json: the class-pair model (pmax, σ), every cell's class and every ordered
 * pair's lateral distance and connection probability (what a CI of that pair's group should cover).
 */
export function connectivityTruth(sites: SampleSite[], uniform: number | undefined) {
  return {
    model: uniform === undefined ? 'class-gaussian' : 'uniform',
    distance: 'lateral (x, y of pipettes.yml position), µm',
    classes: SAMPLE_CLASSES,
    classPairs: uniform === undefined ? classPairModel() : [],
    cells: sites.flatMap((site) =>
      site.cells.map((c) => ({
        experiment_id: site.experimentId,
        pipette: c.pipette,
        cell_class: c.cellClass,
        cre_type: c.creType,
        target_layer: c.layer,
      })),
    ),
    pairs: sites.flatMap((site) => {
      const p = pairProbabilities(site);
      return site.cells.flatMap((pre, i) =>
        site.cells
          .filter((post) => post !== pre)
          .map((post) => ({
            experiment_id: site.experimentId,
            pre_pipette: pre.pipette,
            post_pipette: post.pipette,
            lateral_distance_um: Number(lateralDistanceUm(pre.position, post.position).toFixed(2)),
            probability: Number((uniform ?? p[i]![site.cells.indexOf(post)]!).toFixed(6)),
          })),
      );
    }),
  };
}
