import fs from 'node:fs';
import path from 'node:path';
import { writeSampleMetadata, type SampleDataOptions } from './metadata.js';

export interface SampleDataSummary {
  out: string;
  slices: number;
  experiments: string[];
  truthDir: string;
}

/** Writes the sample experiments and their ground truth (kept apart: no module reads it). */
export function writeSampleData(options: SampleDataOptions): SampleDataSummary {
  const sites = writeSampleMetadata(options);
  const truthDir = path.join(options.out, 'truth');
  fs.mkdirSync(truthDir, { recursive: true });
  fs.writeFileSync(path.join(truthDir, 'experiments.json'), JSON.stringify({ seed: options.seed, experiments: sites.map((s) => s.experimentId) }, null, 2));
  return { out: options.out, slices: options.slices, experiments: sites.map((s) => s.experimentId), truthDir };
}
