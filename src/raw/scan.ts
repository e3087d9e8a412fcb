import fs from 'node:fs';
import path from 'node:path';
import type { JobSource } from './job-source.js';

export interface RawScan {
  slices: JobSource[];
  sites: JobSource[];
  /** Things a user should hear about (duplicate slice names, links leaving a root), not fatal. */
  warnings: string[];
}

const isSiteName = (name: string) => /^site_[^/]+$/.test(name);

/**
 * Lists slice folders (a folder under a data root holding slice.yml or site_* folders) and their
 * site folders. A folder reached through a symlink that leaves its data root is skipped and
 * reported, so no job ever reads outside the configured roots.
 */
export function scanDataRoots(roots: string[]): RawScan {
  const scan: RawScan = { slices: [], sites: [], warnings: [] };
  const seen = new Map<string, string>();
  for (const root of roots) {
    if (!fs.existsSync(root)) {
      scan.warnings.push(`data root ${root} does not exist`);
      continue;
    }
    const realRoot = fs.realpathSync(root);
    for (const sliceName of listDirs(root)) {
      const sliceDir = path.join(root, sliceName);
      if (!insideRoot(realRoot, sliceDir)) {
        scan.warnings.push(`${sliceDir} links outside its data root; skipped`);
        continue;
      }
      const siteNames = listDirs(sliceDir).filter(isSiteName);
      if (!fs.existsSync(path.join(sliceDir, 'slice.yml')) && siteNames.length === 0) continue;
      if (seen.has(sliceName)) {
        scan.warnings.push(`slice folder "${sliceName}" exists in ${seen.get(sliceName)} and ${root}; using the first`);
        continue;
      }
      seen.set(sliceName, root);
      scan.slices.push({ jobId: sliceName, root, dir: sliceDir });
      for (const siteName of siteNames) {
        const siteDir = path.join(sliceDir, siteName);
        if (!insideRoot(realRoot, siteDir)) {
          scan.warnings.push(`${siteDir} links outside its data root; skipped`);
          continue;
        }
        scan.sites.push({ jobId: `${sliceName}/${siteName}`, root, dir: siteDir });
      }
    }
  }
  const byId = (a: JobSource, b: JobSource) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0);
  scan.slices.sort(byId);
  scan.sites.sort(byId);
  return scan;
}

/** Finds one job's folder again at run time, with the same containment rule as the scan. */
export function resolveJobSource(roots: string[], jobId: string): JobSource | undefined {
  const parts = jobId.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return undefined;
  for (const root of roots) {
    const dir = path.join(root, ...parts);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) continue;
    if (!insideRoot(fs.realpathSync(root), dir)) return undefined;
    return { jobId, root, dir };
  }
  return undefined;
}

/** True when `target`, with every symlink resolved, is inside `realRoot`. */
export function insideRoot(realRoot: string, target: string): boolean {
  try {
    const real = fs.realpathSync(target);
    return real === realRoot || real.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
}

function listDirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter(
        (entry) =>
          !entry.name.startsWith('.') &&
          (entry.isDirectory() || (entry.isSymbolicLink() && isDir(path.join(dir, entry.name)))),
      )
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
