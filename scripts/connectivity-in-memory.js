#!/usr/bin/env node
// The connectivity figures of a sample-data set too large to run through an update in the time
// at hand: every site is simulated exactly as `mpctl sample-data` simulates it (same seeds, same
// class and distance model), analysed in memory with the functions the dataset, pulse_response and
// connection_strength modules run (no NWB, no database), grouped by the truth's cell classes (what
// cell_class assigns to the sample cells) and scored as `validate --json` scores `connectivity`.
// Usage (after npm run build): node scripts/connectivity-in-memory.js SLICES SITES_PER_SLICE CELLS SEED
// Prints one JSON line: the connectivity validation (detection-power corrected and not).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const load = (file) => import(path.join(root, file));
const { writeSampleMetadata } = await load('src/sample-data/metadata.js');
const { siteSeed } = await load('src/sample-data/write-sample-data.js');
const { pairProbabilities } = await load('src/sample-data/class-connectivity.js');
const { connectivityTruth } = await load('src/sample-data/connectivity-truth.js');
const { simulateSite } = await load('src/sample-data/physiology/index.js');
const { siteResponses, simulatedSweeps } = await load('test/helpers/site-analysis.js');
const { analyzePair } = await load('src/modules/connection_strength/pair-connectivity.js');
const { groupConnectivity } = await load('src/views/connectivity.js');
const { scoreConnectivity } = await load('src/views/connectivity-validation.js');
const { readCellClasses } = await load('src/modules/cell_class/definitions.js');

const [slices, sitesPerSlice, cells, seed] = process.argv.slice(2).map(Number);
if (![slices, sitesPerSlice, cells, seed].every(Number.isInteger)) {
  console.error('usage: node scripts/connectivity-in-memory.js SLICES SITES_PER_SLICE CELLS SEED');
  process.exit(2);
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'connectivity-in-memory-'));
const sites = writeSampleMetadata({ out, slices, sitesPerSlice, cells, seed, nwb: false });
fs.rmSync(out, { recursive: true });
const rows = [];
const classesOfCell = new Map();
const connectedTruth = new Map();
let nextCellId = 1;
const started = Date.now();
for (const [k, site] of sites.entries()) {
  const sim = simulateSite({
    cells,
    sweeps: 5 * cells,
    seed: siteSeed(seed, k),
    connectionProbability: 0.25,
    pairProbabilities: pairProbabilities(site),
  });
  const ids = site.cells.map(() => nextCellId++);
  site.cells.forEach((c, i) => classesOfCell.set(ids[i], [c.cellClass]));
  const indexOf = new Map(sim.cells.map((c) => [c.electrode, c.index]));
  const { keys, rate, perPair } = siteResponses(site.experimentId, simulatedSweeps(sim));
  for (const pre of keys)
    for (const post of keys) {
      if (pre === post) continue;
      const responses = perPair.get(`${pre}\u0000${post}`) ?? [];
      const result = analyzePair(responses, rate);
      const a = site.cells[indexOf.get(pre)];
      const b = site.cells[indexOf.get(post)];
      rows.push({
        experiment_id: site.experimentId,
        pre_ext: a.pipette,
        post_ext: b.pipette,
        pre_cell_id: ids[indexOf.get(pre)],
        post_cell_id: ids[indexOf.get(post)],
        pre_pos: a.position,
        post_pos: b.position,
        pre_layer: a.layer,
        post_layer: b.layer,
        pre_cre: a.creType,
        post_cre: b.creType,
        n_ex: String(responses.filter((r) => r.qc.exPass).length),
        n_in: String(responses.filter((r) => r.qc.inPass).length),
        detection_score: result?.detectionScore ?? null,
        detection_se: Number.isFinite(result?.detectionSe) ? result.detectionSe : null,
        detection_shift: Number.isFinite(result?.detectionShift) ? result.detectionShift : null,
        n_background: result?.nBackground ?? 0,
        fit_amplitude: result?.fit?.amplitude ?? null,
        fit_latency: result?.fit?.latency ?? null,
      });
    }
  for (const t of sim.truth.pairs)
    connectedTruth.set(
      `${site.experimentId}\u0001${site.cells[t.pre].pipette}\u0001${site.cells[t.post].pipette}`,
      t.connected,
    );
  process.stderr.write(`\r${k + 1}/${sites.length} sites, ${((Date.now() - started) / 1e3).toFixed(0)} s`);
}
process.stderr.write('\n');
const groups = groupConnectivity(rows, classesOfCell, readCellClasses(), 'class');
const score = scoreConnectivity(groups, connectivityTruth(sites, undefined), connectedTruth);
const { classPairs, ...summary } = score;
console.log(
  JSON.stringify({
    slices,
    sitesPerSlice,
    cells,
    seed,
    pairs: rows.length,
    ...summary,
    detectionCorrection: groups.detectionCorrection,
    classPairs: classPairs.filter((c) => c.trueConnected >= 20),
  }),
);
