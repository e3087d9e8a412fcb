import fs from 'node:fs';
import path from 'node:path';
import type { Orm } from '../db/orm.js';
import { BadInputError } from '../errors/index.js';
import { fitGaussianConnectivity } from '../analysis/connectivity.js';
import {
  connectivityGroups,
  groupKey,
  isConnected,
  lateralDistance,
  type ConnectivityMatrix,
  type PairRow,
} from './connectivity.js';

/** A class pair needs this many probed pairs for its interval to be judged (issue 14). */
export const MIN_PROBED_FOR_COVERAGE = 20;
/** …and this many true connections among them for its pmax and σ to be judged. */
export const MIN_CONNECTIONS_FOR_FIT = 20;

export interface ConnectivityValidation {
  classPairsJudged: number;
  /** Share of judged class pairs whose 95 % interval covers the mean true probability of their probed pairs. */
  ciCoverage: number | null;
  /** The same share for the interval corrected for detection power (`ciLowCorrected`–`ciHighCorrected`). */
  ciCoverageCorrected: number | null;
  classPairsFitted: number;
  /** Median |fit − truth| / truth over class pairs with enough true connections (%). */
  medianPmaxErrorPct: number | null;
  medianSigmaErrorPct: number | null;
  /**
   * Share of the true connections among probed pairs that detection found, and the unconnected
   * pairs it called connected: a probability of detected connections is low by the missed share.
   */
  sensitivity: number | null;
  falsePositives: number;
  /**
   * Mean detection power of the probed pairs, as `connectivity` estimates it from the data: should
   * match `sensitivity` when the correction is right (the truth plays no part in it).
   */
  meanDetectionPower: number | null;
  /** The same errors for the fit without the detection-power correction (`pmaxDetected`, `sigmaDetected`). */
  medianDetectedPmaxErrorPct: number | null;
  medianDetectedSigmaErrorPct: number | null;
  /**
   * The same errors for the fit given the true connections of the same probed pairs (perfect
   * detection): what the fit alone costs on this set, apart from what detection misses.
   */
  medianOraclePmaxErrorPct: number | null;
  medianOracleSigmaErrorPct: number | null;
  classPairs: {
    pre: string;
    post: string;
    probed: number;
    connected: number;
    trueConnected: number;
    /** True connections among the probed pairs that detection found. */
    detectedTrue: number;
    trueProbability: number;
    covered: boolean;
    coveredCorrected: boolean;
    pmax: number | null;
    truePmax: number | null;
    sigma: number | null;
    trueSigma: number | null;
    pmaxDetected: number | null;
    sigmaDetected: number | null;
    detectionPower: number | null;
    oraclePmax: number | null;
    oracleSigma: number | null;
  }[];
}

export interface ConnectivityTruth {
  model: string;
  classPairs: { pre: string; post: string; pmax: number; sigma_um: number }[];
  pairs: { experiment_id: string; pre_pipette: string; post_pipette: string; probability: number }[];
}

export function readConnectivityTruth(truthDir: string): ConnectivityTruth | null {
  const file = path.join(truthDir, 'connectivity.json');
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ConnectivityTruth;
  } catch (error) {
    throw new BadInputError(file, `not JSON: ${(error as Error).message}`);
  }
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Scores `mpctl connectivity` against truth/connectivity.json (and the connections of pairs.json). */
export async function validateConnectivity(
  orm: Orm,
  truthDir: string,
  connectedTruth: Map<string, boolean>,
): Promise<ConnectivityValidation | null> {
  const truth = readConnectivityTruth(truthDir);
  if (!truth) return null;
  return scoreConnectivity(await connectivityGroups(orm, 'class'), truth, connectedTruth);
}

/**
 * Scores a connectivity matrix against the truth's class-pair model and per-pair probabilities;
 * `connectedTruth` is keyed experiment, pre pipette, post pipette (joined by U+0001).
 */
export function scoreConnectivity(
  { matrix, probedPairs }: ConnectivityMatrix & { probedPairs: Map<string, PairRow[]> },
  truth: ConnectivityTruth,
  connectedTruth: Map<string, boolean>,
): ConnectivityValidation {
  const key = (e: string, pre: string, post: string) => `${e}\u0001${pre}\u0001${post}`;
  const probability = new Map(
    truth.pairs.map((p) => [key(p.experiment_id, p.pre_pipette, p.post_pipette), p.probability]),
  );
  const model = new Map(truth.classPairs.map((c) => [groupKey(c.pre, c.post), c]));
  const classPairs = matrix.flatMap((m) => {
    const pairs = (probedPairs.get(groupKey(m.pre, m.post)) ?? []).filter((r) =>
      probability.has(key(r.experiment_id, r.pre_ext, r.post_ext)),
    );
    if (!pairs.length) return [];
    const keys = pairs.map((r) => key(r.experiment_id, r.pre_ext, r.post_ext));
    const trueProbability = keys.reduce((s, k) => s + probability.get(k)!, 0) / keys.length;
    const c = model.get(groupKey(m.pre, m.post));
    const oracle = fitGaussianConnectivity(
      pairs.flatMap((r) => {
        const distance = lateralDistance(r.pre_pos, r.post_pos);
        const connected = connectedTruth.get(key(r.experiment_id, r.pre_ext, r.post_ext)) ?? false;
        return distance === null ? [] : [{ distance, connected }];
      }),
    );
    return [
      {
        pre: m.pre,
        post: m.post,
        probed: m.probed,
        connected: m.connected,
        trueConnected: keys.filter((k) => connectedTruth.get(k)).length,
        detectedTrue: pairs.filter((r, i) => connectedTruth.get(keys[i]!) && isConnected(r)).length,
        falsePositives: pairs.filter((r, i) => !connectedTruth.get(keys[i]!) && isConnected(r)).length,
        trueProbability,
        covered: m.ciLow <= trueProbability && trueProbability <= m.ciHigh,
        coveredCorrected:
          m.ciLowCorrected !== null && m.ciLowCorrected <= trueProbability && trueProbability <= m.ciHighCorrected!,
        pmax: m.pmax,
        truePmax: c?.pmax ?? null,
        sigma: m.sigma,
        trueSigma: c?.sigma_um ?? null,
        pmaxDetected: m.pmaxDetected,
        sigmaDetected: m.sigmaDetected,
        detectionPower: m.detectionPower,
        oraclePmax: oracle?.pmax ?? null,
        oracleSigma: oracle?.sigma ?? null,
      },
    ];
  });
  const judged = classPairs.filter((c) => c.probed >= MIN_PROBED_FOR_COVERAGE);
  const fitted = classPairs.filter(
    (c) => c.trueConnected >= MIN_CONNECTIONS_FOR_FIT && c.pmax !== null && c.truePmax !== null,
  );
  const relError = (a: number, b: number) => (100 * Math.abs(a - b)) / b;
  const trueConnected = classPairs.reduce((s, c) => s + c.trueConnected, 0);
  return {
    classPairsJudged: judged.length,
    ciCoverage: judged.length ? judged.filter((c) => c.covered).length / judged.length : null,
    ciCoverageCorrected: judged.length ? judged.filter((c) => c.coveredCorrected).length / judged.length : null,
    classPairsFitted: fitted.length,
    medianPmaxErrorPct: median(fitted.map((c) => relError(c.pmax!, c.truePmax!))),
    medianSigmaErrorPct: median(fitted.map((c) => relError(c.sigma!, c.trueSigma!))),
    // A pair is in as many class pairs as its cells have classes; the sample cells have one each.
    sensitivity: trueConnected ? classPairs.reduce((s, c) => s + c.detectedTrue, 0) / trueConnected : null,
    falsePositives: classPairs.reduce((s, c) => s + c.falsePositives, 0),
    meanDetectionPower: meanPower(classPairs),
    medianDetectedPmaxErrorPct: median(fitted.map((c) => relError(c.pmaxDetected!, c.truePmax!))),
    medianDetectedSigmaErrorPct: median(fitted.map((c) => relError(c.sigmaDetected!, c.trueSigma!))),
    medianOraclePmaxErrorPct: median(fitted.map((c) => relError(c.oraclePmax!, c.truePmax!))),
    medianOracleSigmaErrorPct: median(fitted.map((c) => relError(c.oracleSigma!, c.trueSigma!))),
    classPairs: classPairs.map(({ falsePositives: _, ...c }) => c),
  };
}

/** Probed-pair-weighted mean of the class pairs' detection power. */
function meanPower(classPairs: { probed: number; detectionPower: number | null }[]): number | null {
  const withPower = classPairs.filter((c) => c.detectionPower !== null && c.probed > 0);
  const n = withPower.reduce((s, c) => s + c.probed, 0);
  return n ? withPower.reduce((s, c) => s + c.probed * c.detectionPower!, 0) / n : null;
}
