import type { SampleSite } from './metadata.js';

/** The sample data's cell classes, named as config/cell-classes.yml names them. */
export const SAMPLE_CLASSES = ['L2/3 Pyr', 'L5 Pyr', 'Pvalb', 'Sst', 'Vip'] as const;
export type SampleClass = (typeof SAMPLE_CLASSES)[number];

// pmax by pre (rows) and post (columns), in the order above: roughly the mouse cortex figures of
// aisynphys (Campagnola et al. 2022): interneurons connect densely, pyramidal cells sparsely, Vip mostly onto Sst.
const PMAX: number[][] = [
  [0.15, 0.08, 0.35, 0.25, 0.15],
  [0.06, 0.15, 0.35, 0.3, 0.08],
  [0.5, 0.4, 0.5, 0.15, 0.08],
  [0.4, 0.35, 0.3, 0.08, 0.4],
  [0.08, 0.08, 0.15, 0.5, 0.08],
];
/** σ of the Gaussian fall-off (µm): narrower for pyramidal outputs, wider for interneurons'. */
const SIGMA_UM: number[][] = [
  [100, 100, 120, 120, 120],
  [100, 100, 120, 120, 120],
  [140, 140, 130, 130, 130],
  [150, 150, 130, 130, 130],
  [130, 130, 130, 130, 130],
];

export interface ClassPairModel {
  pre: SampleClass;
  post: SampleClass;
  pmax: number;
  sigma_um: number;
}

export const classPairModel = (): ClassPairModel[] =>
  SAMPLE_CLASSES.flatMap((pre, i) =>
    SAMPLE_CLASSES.map((post, j) => ({ pre, post, pmax: PMAX[i]![j]!, sigma_um: SIGMA_UM[i]![j]! })),
  );

/** Intersomatic distance in the slice plane (x, y; µm), leaving out the depth below the surface. */
export const lateralDistanceUm = (a: [number, number, number], b: [number, number, number]) =>
  Math.hypot(a[0] - b[0], a[1] - b[1]);

/** p(d) = pmax·exp(−d²/2σ²) of every ordered cell pair of a site, by the cells' classes. */
export function pairProbabilities(site: SampleSite): number[][] {
  return site.cells.map((pre) =>
    site.cells.map((post) => {
      if (pre === post) return 0;
      const i = SAMPLE_CLASSES.indexOf(pre.cellClass);
      const j = SAMPLE_CLASSES.indexOf(post.cellClass);
      const d = lateralDistanceUm(pre.position, post.position);
      return PMAX[i]![j]! * Math.exp(-(d * d) / (2 * SIGMA_UM[i]![j]! ** 2));
    }),
  );
}
