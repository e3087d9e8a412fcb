#!/usr/bin/env node
// How well can pmax and σ of the sample data's class-pair model be recovered at a given set size
// if detection were perfect? Draws each pair's connection from truth/connectivity.json's
// probability (no NWB, no pipeline, seconds) and fits as `mpctl connectivity` does, so a figure
// from a real update can be read against what the set size allows at best.
// Usage (after npm run build): node scripts/connectivity-bound.js SLICES SITES_PER_SLICE CELLS FIRST_SEED SEEDS
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/src');
const { writeSampleMetadata } = await import(path.join(dist, 'sample-data/metadata.js'));
const { connectivityTruth } = await import(path.join(dist, 'sample-data/connectivity-truth.js'));
const { fitGaussianConnectivity, clopperPearson } = await import(path.join(dist, 'analysis/connectivity.js'));
const { seededRandom } = await import(path.join(dist, 'sample-data/random.js'));
const { MIN_PROBED_FOR_COVERAGE, MIN_CONNECTIONS_FOR_FIT } = await import(
  path.join(dist, 'views/connectivity-validation.js')
);

const [slices, sitesPerSlice, cells, firstSeed, seeds] = process.argv.slice(2).map(Number);
if (![slices, sitesPerSlice, cells, firstSeed, seeds].every(Number.isInteger)) {
  console.error('usage: node scripts/connectivity-bound.js SLICES SITES_PER_SLICE CELLS FIRST_SEED SEEDS');
  process.exit(2);
}
const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const relError = (a, b) => Number(((100 * Math.abs(a - b)) / b).toFixed(1));

for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'connectivity-bound-'));
  const sites = writeSampleMetadata({ out, slices, sitesPerSlice, cells, seed, nwb: false });
  fs.rmSync(out, { recursive: true });
  const truth = connectivityTruth(sites, undefined);
  const classOf = new Map(truth.cells.map((c) => [`${c.experiment_id}|${c.pipette}`, c.cell_class]));
  // Its own stream: these draws stand for "a set this size", not for the files sample-data writes.
  const random = seededRandom(seed * 7919 + 1);
  const groups = new Map();
  for (const p of truth.pairs) {
    const key = `${classOf.get(`${p.experiment_id}|${p.pre_pipette}`)}>${classOf.get(`${p.experiment_id}|${p.post_pipette}`)}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ distance: p.lateral_distance_um, connected: random() < p.probability, p: p.probability });
  }
  const model = new Map(truth.classPairs.map((c) => [`${c.pre}>${c.post}`, c]));
  const pmaxErrors = [];
  const sigmaErrors = [];
  let judged = 0;
  let covered = 0;
  for (const [key, pairs] of groups) {
    const connected = pairs.filter((x) => x.connected).length;
    if (pairs.length >= MIN_PROBED_FOR_COVERAGE) {
      judged++;
      const [low, high] = clopperPearson(connected, pairs.length);
      const p = pairs.reduce((s, x) => s + x.p, 0) / pairs.length;
      if (low <= p && p <= high) covered++;
    }
    if (connected < MIN_CONNECTIONS_FOR_FIT) continue;
    const fit = fitGaussianConnectivity(pairs);
    pmaxErrors.push(relError(fit.pmax, model.get(key).pmax));
    sigmaErrors.push(relError(fit.sigma, model.get(key).sigma_um));
  }
  console.log(
    JSON.stringify({
      seed,
      pairs: truth.pairs.length,
      classPairsJudged: judged,
      ciCoverage: judged ? Number((covered / judged).toFixed(3)) : null,
      classPairsFitted: pmaxErrors.length,
      medianPmaxErrorPct: median(pmaxErrors),
      medianSigmaErrorPct: median(sigmaErrors),
    }),
  );
}
