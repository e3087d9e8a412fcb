import fs from 'node:fs';
import path from 'node:path';
import type { Orm } from '../db/orm.js';
import { BadInputError } from '../errors/index.js';
import { fitGaussianConnectivity } from '../analysis/connectivity.js';
import { connectivityGroups, groupKey, isConnected, lateralDistance } from './connectivity.js';

/** A class pair needs this many probed pairs for its interval to be judged (issue 14). */
export const MIN_PROBED_FOR_COVERAGE = 20;
/** …and this many true connections among them for its pmax and σ to be judged. */
export const MIN_CONNECTIONS_FOR_FIT = 20;

export interface ConnectivityValidation {
  classPairsJudged: number;
  /** Share of judged class pairs whose 95 % interval covers the mean true probability of their probed pairs. */
  ciCoverage: number | null;
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
    pmax: number | null;
    truePmax: number | null;
    sigma: number | null;
    trueSigma: number | null;
    oraclePmax: number | null;
    oracleSigma: number | null;
  }[];
}

interface ConnectivityTruth {
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
  const key = (e: string, pre: string, post: string) => `${e}\u0001${pre}\u0001${post}`;
  const probability = new Map(
    truth.pairs.map((p) => [key(p.experiment_id, p.pre_pipette, p.post_pipette), p.probability]),
  );
  const model = new Map(truth.classPairs.map((c) => [groupKey(c.pre, c.post), c]));
  const { matrix, probedPairs } = await connectivityGroups(orm, 'class');
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
        pmax: m.pmax,
        truePmax: c?.pmax ?? null,
        sigma: m.sigma,
        trueSigma: c?.sigma_um ?? null,
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
    classPairsFitted: fitted.length,
    medianPmaxErrorPct: median(fitted.map((c) => relError(c.pmax!, c.truePmax!))),
    medianSigmaErrorPct: median(fitted.map((c) => relError(c.sigma!, c.trueSigma!))),
    // A pair is in as many class pairs as its cells have classes; the sample cells have one each.
    sensitivity: trueConnected ? classPairs.reduce((s, c) => s + c.detectedTrue, 0) / trueConnected : null,
    falsePositives: classPairs.reduce((s, c) => s + c.falsePositives, 0),
    medianOraclePmaxErrorPct: median(fitted.map((c) => relError(c.oraclePmax!, c.truePmax!))),
    medianOracleSigmaErrorPct: median(fitted.map((c) => relError(c.oracleSigma!, c.trueSigma!))),
    classPairs: classPairs.map(({ falsePositives: _, ...c }) => c),
  };
}
