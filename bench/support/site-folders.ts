import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A data root of `experiments` site folders, `sitesPerSlice` to a slice, each holding only a
 * `pipettes.yml` (a site without one is still being recorded and is not planned): enough for
 * the planner to see experiments when the modules do no work (the no-op benchmarks).
 */
export function emptySiteFolders(
  experiments: number,
  sitesPerSlice = 10,
): { root: string; slices: string[]; ids: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-bench-sites-'));
  const slices: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < experiments; i++) {
    const slice = `slice${String(Math.floor(i / sitesPerSlice)).padStart(4, '0')}`;
    if (slices.at(-1) !== slice) slices.push(slice);
    const site = path.join(root, slice, `site_${i % sitesPerSlice}`);
    fs.mkdirSync(site, { recursive: true });
    fs.writeFileSync(path.join(site, 'pipettes.yml'), '{}\n');
    ids.push(`${slice}/site_${i % sitesPerSlice}`);
  }
  return { root, slices, ids };
}
