import fs from 'node:fs';
import path from 'node:path';
import { writeIcephysNwb } from '../nwb/index.js';
import { simulateSite, toNwbInput } from './physiology/index.js';
import { writeSampleMetadata, type SampleDataOptions } from './metadata.js';
import { siteTruth, type CellTruthRecord, type PairTruthRecord } from './truth.js';

export interface SampleDataSummary {
  out: string;
  slices: number;
  experiments: string[];
  truthDir: string;
  connections: number;
  pairs: number;
}

/** Each site's simulation seed: distinct per site, fixed by the run's seed. */
export const siteSeed = (seed: number, siteIndex: number) => seed * 1000 + siteIndex + 1;

/**
 * Writes the sample experiments (metadata plus one NWB per site, as pynwb lays it out) and
 * their ground truth to OUT/truth/, a folder without slice.yml, so the scan never reads it.
 */
export async function writeSampleData(options: SampleDataOptions): Promise<SampleDataSummary> {
  const sites = writeSampleMetadata(options);
  const truthDir = path.join(options.out, 'truth');
  fs.mkdirSync(truthDir, { recursive: true });
  const pairs: PairTruthRecord[] = [];
  const cells: CellTruthRecord[] = [];
  if (options.nwb !== false) {
    for (const [k, site] of sites.entries()) {
      const sim = simulateSite({
        cells: options.cells,
        sweeps: (options.sweepsPerCell ?? 5) * options.cells,
        seed: siteSeed(options.seed, k),
        connectionProbability: options.connectionProbability ?? 0.25,
        noise: options.noise ?? 1,
      });
      await writeIcephysNwb(toNwbInput(sim), path.join(site.dir, site.nwbFile), {
        identifier: site.experimentId,
        seed: siteSeed(options.seed, k),
      });
      const truth = siteTruth(site, sim);
      pairs.push(...truth.pairs);
      cells.push(...truth.cells);
    }
  }
  const write = (name: string, value: unknown) =>
    fs.writeFileSync(path.join(truthDir, name), JSON.stringify(value, null, 1));
  write('experiments.json', {
    seed: options.seed,
    experiments: sites.map((s) => s.experimentId),
    siteSeeds: sites.map((_, k) => siteSeed(options.seed, k)),
  });
  write('pairs.json', pairs);
  write('cells.json', cells);
  return {
    out: options.out,
    slices: options.slices,
    experiments: sites.map((s) => s.experimentId),
    truthDir,
    connections: pairs.filter((p) => p.connected).length,
    pairs: pairs.length,
  };
}
