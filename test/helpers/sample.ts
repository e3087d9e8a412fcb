import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSampleMetadata, type SampleDataOptions } from '../../src/sample-data/metadata.js';
import { writeSampleData } from '../../src/sample-data/write-sample-data.js';

/** A data root with `slices` × `sites` sample experiments, metadata only (for the slice and experiment modules); returns the root and the experiment ids. */
export function sampleRoot(slices = 2, sites = 2, cells = 4, seed = 7): { root: string; experiments: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-data-'));
  const written = writeSampleMetadata({ out: root, slices, sitesPerSlice: sites, cells, seed });
  return { root, experiments: written.map((s) => s.experimentId) };
}

/** A data root with NWB recordings; the truth folder is moved beside it and returned. */
export async function sampleRootWithNwb(
  options: Omit<SampleDataOptions, 'out'>,
): Promise<{ root: string; experiments: string[]; truthDir: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-data-'));
  const summary = await writeSampleData({ out: root, ...options });
  // Keep the truth out of the data root (the scan ignores it anyway; this proves nothing reads it).
  const truthDir = `${root}-truth`;
  fs.renameSync(summary.truthDir, truthDir);
  return { root, experiments: summary.experiments, truthDir };
}

/** Bumps a file's mtime, as an edit would. */
export function touch(file: string, secondsAhead = 5): void {
  const when = new Date(Date.now() + secondsAhead * 1000);
  fs.utimesSync(file, when, when);
}
