import { clopperPearson, fitGaussianConnectivity, type ProbedPair } from '../analysis/connectivity.js';
import { detectionPower, fitShiftDistribution, type ShiftDistribution } from '../analysis/detection-power.js';
import type { Orm } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import { readCellClasses } from '../modules/cell_class/definitions.js';
import { DETECTION_THRESHOLD } from './connections.js';

export type GroupBy = 'class' | 'layer' | 'cre';

/**
 * Found connections needed to fit their shift distribution for the detection-power correction:
 * with fewer the fitted tail is too loose to extrapolate (on 12 found the predicted share found
 * ranged 0.41–0.92 for a true 0.71; on 30, 0.53–0.87; docs/science.md), so nothing is corrected.
 */
export const MIN_FOUND_FOR_CORRECTION = 30;

/** As aisynphys' pair_was_probed: at least this many QC-passed presynaptic spikes of the pair's sign. */
export const MIN_PROBED_SPIKES = 10;

export interface ConnectivityCell {
  pre: string;
  post: string;
  probed: number;
  connected: number;
  probability: number | null;
  ciLow: number;
  ciHigh: number;
  /** Distance-adjusted fit corrected for each probed pair's detection power (uncorrected where no correction could be fitted). */
  pmax: number | null;
  sigma: number | null;
  pmaxCi: [number, number] | null;
  /** µm, lateral (in the slice plane). */
  sigmaCi: [number, number] | null;
  /** Mean detection power of the probed pairs: the share of their connections detection is expected to find. */
  detectionPower: number | null;
  /** connected / Σ detection power (≤ 1): the probability of a connection, found or not. */
  probabilityCorrected: number | null;
  /** The Clopper–Pearson interval over the mean detection power (aisynphys' approximation; the power's own uncertainty is not in it). */
  ciLowCorrected: number | null;
  ciHighCorrected: number | null;
  /** The same fit without the correction: pmax and σ of the connections detected. */
  pmaxDetected: number | null;
  sigmaDetected: number | null;
  meanAmplitude: number | null;
  meanLatency: number | null;
}

/** The log-normal of found connections' template amplitude shifts, by the presynaptic class's sign ('all' pools both). */
export type DetectionCorrection = Record<'ex' | 'in' | 'all', ShiftDistribution | null>;

/** Exactly what `mpctl connectivity --json` prints. */
export interface ConnectivityMatrix {
  classes: string[];
  matrix: ConnectivityCell[];
  detectionCorrection: DetectionCorrection;
}

export interface PairRow {
  experiment_id: string;
  pre_ext: string;
  post_ext: string;
  pre_cell_id: number;
  post_cell_id: number;
  pre_pos: [number, number, number] | null;
  post_pos: [number, number, number] | null;
  pre_layer: string | null;
  post_layer: string | null;
  pre_cre: string | null;
  post_cre: string | null;
  n_ex: string;
  n_in: string;
  detection_score: number | null;
  detection_se: number | null;
  detection_shift: number | null;
  n_background: number | null;
  fit_amplitude: number | null;
  fit_latency: number | null;
}

/** Every ordered pair with its QC-passed current-clamp response counts and (current-clamp) detection result: the modes are not mixed. */
export async function pairRows(orm: Orm, experimentIds?: string[]): Promise<PairRow[]> {
  const only = experimentIds?.length ? experimentIds : null;
  return query<PairRow>(
    orm.em.fork(),
    sql`SELECT p.experiment_id, pre.ext_id AS pre_ext, post.ext_id AS post_ext, pre.id AS pre_cell_id, post.id AS post_cell_id,
        pre.position_um AS pre_pos, post.position_um AS post_pos, pre.target_layer AS pre_layer, post.target_layer AS post_layer,
        pre.cre_type AS pre_cre, post.cre_type AS post_cre,
        coalesce(pr.n_ex, 0) AS n_ex, coalesce(pr.n_in, 0) AS n_in, cs.detection_score, cs.detection_se, cs.detection_shift, cs.n_background, cs.fit_amplitude, cs.fit_latency
      FROM pair p JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id
      LEFT JOIN (SELECT pr.pair_id, count(*) FILTER (WHERE pr.ex_qc_pass) AS n_ex, count(*) FILTER (WHERE pr.in_qc_pass) AS n_in
        FROM pulse_response pr JOIN recording r ON r.id = pr.recording_id WHERE r.clamp_mode = 'ic'
        GROUP BY pr.pair_id) pr ON pr.pair_id = p.id
      LEFT JOIN connection_strength cs ON cs.pair_id = p.id
      WHERE ${only}::text[] IS NULL OR p.experiment_id = ANY(${only}::text[])
      ORDER BY p.experiment_id, pre.ext_id, post.ext_id`,
  );
}

export const lateralDistance = (a: [number, number, number] | null, b: [number, number, number] | null) =>
  a && b ? Math.hypot(a[0] - b[0], a[1] - b[1]) : null;

/**
 * The connectivity matrix, computed on demand from the per-pair results (a query, not a module:
 * it spans every experiment, while a job is one slice or experiment, and it must follow class edits at once).
 */
export async function connectivityMatrix(
  orm: Orm,
  by: GroupBy = 'class',
  minFoundForCorrection = MIN_FOUND_FOR_CORRECTION,
): Promise<ConnectivityMatrix> {
  const { classes, matrix, detectionCorrection } = await connectivityGroups(orm, by, undefined, minFoundForCorrection);
  return { classes, matrix, detectionCorrection };
}

/** The matrix with the probed pairs of each (pre, post) group, for validation. */
export async function connectivityGroups(
  orm: Orm,
  by: GroupBy,
  experimentIds?: string[],
  minFoundForCorrection = MIN_FOUND_FOR_CORRECTION,
): Promise<ConnectivityMatrix & { probedPairs: Map<string, PairRow[]> }> {
  const rows = await pairRows(orm, experimentIds);
  const classRows = await query<{ cell_id: number; class_name: string }>(
    orm.em.fork(),
    sql`SELECT cell_id, class_name FROM cell_class`,
  );
  const classesOfCell = new Map<number, string[]>();
  for (const r of classRows) classesOfCell.set(r.cell_id, [...(classesOfCell.get(r.cell_id) ?? []), r.class_name]);
  return groupConnectivity(rows, classesOfCell, readCellClasses(), by, minFoundForCorrection);
}

/**
 * The matrix from per-pair rows and each cell's classes, without the database (the large-set
 * figures of docs/science.md run it on pairs analysed in memory).
 */
export function groupConnectivity(
  rows: PairRow[],
  classesOfCell: Map<number, string[]>,
  definitions: { name: string; synapseType?: string | null }[],
  by: GroupBy,
  minFoundForCorrection = MIN_FOUND_FOR_CORRECTION,
): ConnectivityMatrix & { probedPairs: Map<string, PairRow[]> } {
  const classSign = new Map(definitions.map((d) => [d.name, d.synapseType]));
  const groupsOf = (cell: number, layer: string | null, cre: string | null): string[] =>
    by === 'class' ? (classesOfCell.get(cell) ?? []) : by === 'layer' ? [layer ?? 'none'] : [cre ?? 'none'];
  const signOf = (cell: number): 'ex' | 'in' | null => {
    const signs = new Set((classesOfCell.get(cell) ?? []).map((c) => classSign.get(c)).filter(Boolean));
    return signs.size === 1 ? ([...signs][0] as 'ex' | 'in') : null;
  };

  const groups = new Map<string, { pre: string; post: string; pairs: PairRow[] }>();
  const probed: PairRow[] = [];
  for (const r of rows) {
    const sign = signOf(r.pre_cell_id);
    // Probed for the sign of the presynaptic class; a cell of unknown sign may be probed for either.
    const spikes =
      sign === 'ex' ? Number(r.n_ex) : sign === 'in' ? Number(r.n_in) : Math.max(Number(r.n_ex), Number(r.n_in));
    if (spikes < MIN_PROBED_SPIKES) continue;
    probed.push(r);
    for (const pre of groupsOf(r.pre_cell_id, r.pre_layer, r.pre_cre))
      for (const post of groupsOf(r.post_cell_id, r.post_layer, r.post_cre)) {
        const key = `${pre}\u0000${post}`;
        if (!groups.has(key)) groups.set(key, { pre, post, pairs: [] });
        groups.get(key)!.pairs.push(r);
      }
  }
  const detectionCorrection = fitDetectionCorrection(probed, signOf, minFoundForCorrection);
  const powerOf = (r: PairRow): number | null => {
    const dist = detectionCorrection[signOf(r.pre_cell_id) ?? 'all'] ?? detectionCorrection.all;
    return dist ? detectionPower(dist, r.detection_se, r.n_background ?? 0, DETECTION_THRESHOLD) : null;
  };
  const classes =
    by === 'class'
      ? definitions.map((d) => d.name)
      : [...new Set([...groups.values()].flatMap((g) => [g.pre, g.post]))].sort();
  const matrix: ConnectivityCell[] = [];
  for (const pre of classes)
    for (const post of classes) {
      const pairs = groups.get(`${pre}\u0000${post}`)?.pairs ?? [];
      matrix.push(summarise(pre, post, pairs, powerOf));
    }
  const probedPairs = new Map([...groups.entries()].map(([key, g]) => [key, g.pairs]));
  return { classes, matrix, detectionCorrection, probedPairs };
}

/** The found connections' shift distributions, by the presynaptic class's sign (a pair of unknown sign counts in 'all' only). */
function fitDetectionCorrection(
  probed: PairRow[],
  signOf: (cell: number) => 'ex' | 'in' | null,
  minFound: number,
): DetectionCorrection {
  const found = probed.filter((r) => isConnected(r) && r.detection_se !== null && r.detection_shift !== null);
  const shifts = (rs: PairRow[]) =>
    rs.map((r) => ({
      shift: r.detection_shift!,
      score: r.detection_score!,
      se: r.detection_se!,
      n: r.n_background ?? 0,
    }));
  return {
    ex: fitShiftDistribution(
      shifts(found.filter((r) => signOf(r.pre_cell_id) === 'ex')),
      DETECTION_THRESHOLD,
      minFound,
    ),
    in: fitShiftDistribution(
      shifts(found.filter((r) => signOf(r.pre_cell_id) === 'in')),
      DETECTION_THRESHOLD,
      minFound,
    ),
    all: fitShiftDistribution(shifts(found), DETECTION_THRESHOLD, minFound),
  };
}

export const groupKey = (pre: string, post: string) => `${pre}\u0000${post}`;

/** Every probed pair once (a pair is in as many groups as its cells have classes), with its lateral distance. */
export function probedWithDistance(probedPairs: Map<string, PairRow[]>): { distance: number; connected: boolean }[] {
  const seen = new Set<string>();
  const out: { distance: number; connected: boolean }[] = [];
  for (const pairs of probedPairs.values())
    for (const r of pairs) {
      const key = `${r.pre_cell_id}-${r.post_cell_id}`;
      const distance = lateralDistance(r.pre_pos, r.post_pos);
      if (seen.has(key) || distance === null) continue;
      seen.add(key);
      out.push({ distance, connected: isConnected(r) });
    }
  return out;
}

export const isConnected = (r: PairRow) => (r.detection_score ?? 0) >= DETECTION_THRESHOLD;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function summarise(
  pre: string,
  post: string,
  pairs: PairRow[],
  powerOf: (r: PairRow) => number | null,
): ConnectivityCell {
  const hits = pairs.filter(isConnected);
  const [ciLow, ciHigh] = clopperPearson(hits.length, pairs.length);
  const withDistance: ProbedPair[] = pairs.flatMap((r) => {
    const distance = lateralDistance(r.pre_pos, r.post_pos);
    return distance === null ? [] : [{ distance, connected: isConnected(r), power: powerOf(r) ?? 1 }];
  });
  const detected = fitGaussianConnectivity(withDistance.map(({ power: _, ...p }) => p));
  // Without a fitted correction (too few found connections) pmax and σ are the detected fit.
  const corrected = pairs.some((r) => powerOf(r) !== null) ? fitGaussianConnectivity(withDistance) : detected;
  const powers = pairs.map(powerOf).filter((w): w is number => w !== null);
  const power = powers.length === pairs.length && pairs.length ? powers.reduce((a, b) => a + b, 0) : null;
  return {
    pre,
    post,
    probed: pairs.length,
    connected: hits.length,
    probability: pairs.length ? hits.length / pairs.length : null,
    ciLow,
    ciHigh,
    pmax: corrected?.pmax ?? null,
    sigma: corrected?.sigma ?? null,
    pmaxCi: corrected?.pmaxCi ?? null,
    sigmaCi: corrected?.sigmaCi ?? null,
    detectionPower: power === null ? null : power / pairs.length,
    probabilityCorrected: power ? Math.min(1, hits.length / power) : null,
    ciLowCorrected: power ? Math.min(1, (ciLow * pairs.length) / power) : null,
    ciHighCorrected: power ? Math.min(1, (ciHigh * pairs.length) / power) : null,
    pmaxDetected: detected?.pmax ?? null,
    sigmaDetected: detected?.sigma ?? null,
    meanAmplitude: mean(hits.flatMap((h) => (h.fit_amplitude === null ? [] : [h.fit_amplitude]))),
    meanLatency: mean(hits.flatMap((h) => (h.fit_latency === null ? [] : [h.fit_latency]))),
  };
}
