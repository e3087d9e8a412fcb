import fs from 'node:fs';
import path from 'node:path';
import { writeIcephysNwb } from '../nwb/index.js';
import { PROTOCOL, simulateSite, toNwbInput } from './physiology/index.js';
import { testPulseStart } from './physiology/protocol.js';
import { writeSampleMetadata, type SampleDataOptions } from './metadata.js';
import { connectivityTruth } from './connectivity-truth.js';
import { pairProbabilities } from './class-connectivity.js';
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
        // Without a fixed probability, each pair's comes from its classes and lateral distance.
        pairProbabilities: options.connectionProbability === undefined ? pairProbabilities(site) : null,
        noise: options.noise ?? 1,
        riseShapes: options.riseShapes ?? 'smooth',
        testPulseGap: options.testPulseGap ?? null,
        membraneTau: options.membraneTau ?? null,
        voltageClampSweeps: (options.voltageClampSweepsPerCell ?? 0) * options.cells,
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
    // The recording shapes the sites were simulated with (ms), so a figure can say what data it came from.
    shapes: {
      riseShapes: options.riseShapes ?? 'smooth',
      testPulseStartMs: Number((testPulseStart(options.testPulseGap ?? null) * 1e3).toFixed(3)),
      testPulseEndMs: Number(
        ((testPulseStart(options.testPulseGap ?? null) + PROTOCOL.testPulseDuration) * 1e3).toFixed(3),
      ),
      trainStartMs: PROTOCOL.trainStart * 1e3,
      membraneTauMs: options.membraneTau ? options.membraneTau.map((t) => Number((t * 1e3).toFixed(3))) : null,
      // Written only when asked for, so default truth stays byte-identical.
      ...(options.voltageClampSweepsPerCell
        ? { voltageClampSweepsPerCell: options.voltageClampSweepsPerCell, holdingPotentialMv: -70 }
        : {}),
    },
  });
  write('pairs.json', pairs);
  write('connectivity.json', connectivityTruth(sites, options.connectionProbability));
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
