import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSampleData } from '../../src/sample-data/write-sample-data.js';

/** A data root with `slices` × `sites` sample experiments; returns the root and the experiment ids. */
export function sampleRoot(slices = 2, sites = 2, cells = 4, seed = 7): { root: string; experiments: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-data-'));
  const summary = writeSampleData({ out: root, slices, sitesPerSlice: sites, cells, seed });
  // The truth folder is not a slice; keep it out of the data root the pipeline scans.
  fs.renameSync(summary.truthDir, `${root}-truth`);
  return { root, experiments: summary.experiments };
}

/** Bumps a file's mtime, as an edit would. */
export function touch(file: string, secondsAhead = 5): void {
  const when = new Date(Date.now() + secondsAhead * 1000);
  fs.utimesSync(file, when, when);
}
