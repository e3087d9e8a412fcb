import fs from 'node:fs';
import path from 'node:path';
import type { JobSource } from './job-source.js';
import type { RawScan } from './scan.js';
import { settleSecondsFor, type SettleRule } from './settle.js';

/** A slice or site that is not planned yet, and why: it has not been submitted, or it is still changing. */
export interface WaitingJob {
  jobId: string;
  reason: 'incomplete' | 'settling';
  detail: string;
}

export interface ReadyScan extends RawScan {
  waiting: WaitingJob[];
}

/** Deep enough for any site layout we know; bounds the walk on a misplaced huge tree. */
const MAX_DEPTH = 4;

/**
 * Splits a scan into what can be planned and what waits. A site is an experiment only once its
 * pipettes.yml exists (written at submission); a slice or site whose files changed within the
 * settle time is still being written or copied. A slice that settles holds its sites too.
 */
export function holdUnfinished(scan: RawScan, rule: SettleRule, now = Date.now()): ReadyScan {
  const waiting: WaitingJob[] = [];
  const settling = (source: JobSource, files: Newest | undefined): WaitingJob | undefined => {
    const seconds = settleSecondsFor(rule, source.root);
    if (!files || seconds <= 0) return undefined;
    const ageS = (now - files.mtimeMs) / 1000;
    if (ageS >= seconds) return undefined;
    const what = files.file === source.dir ? 'folder' : path.relative(source.dir, files.file);
    return {
      jobId: source.jobId,
      reason: 'settling',
      detail: `${what} changed ${Math.max(0, Math.floor(ageS))} s ago (settle time ${seconds} s)`,
    };
  };
  const heldSlices = new Map<string, WaitingJob>();
  const slices = scan.slices.filter((slice) => {
    const wait = settling(slice, newestOf(slice.dir, 0, true));
    if (wait) heldSlices.set(slice.jobId, wait);
    return !wait;
  });
  waiting.push(...heldSlices.values());
  const sites = scan.sites.filter((site) => {
    const sliceWait = heldSlices.get(site.jobId.split('/')[0]);
    let wait: WaitingJob | undefined = sliceWait && {
      jobId: site.jobId,
      reason: 'settling',
      detail: `slice ${sliceWait.detail}`,
    };
    if (!wait && !fs.existsSync(path.join(site.dir, 'pipettes.yml')))
      wait = { jobId: site.jobId, reason: 'incomplete', detail: 'no pipettes.yml yet (written at submission)' };
    wait ??= settling(site, newestOf(site.dir, 0, false));
    if (wait) waiting.push(wait);
    return !wait;
  });
  return { ...scan, slices, sites, waiting };
}

interface Newest {
  file: string;
  mtimeMs: number;
}

/**
 * The most recently changed entry under `dir`, the folder itself included (adding or renaming a
 * file changes only the folder). A slice counts only its own files, not its folder nor its site
 * folders: a new site being copied in must not hold every other site of its slice.
 */
function newestOf(dir: string, depth: number, skipSites: boolean): Newest | undefined {
  let newest: Newest | undefined;
  const consider = (file: string, mtimeMs: number) => {
    if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  };
  try {
    if (!skipSites) consider(dir, fs.statSync(dir).mtimeMs);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (skipSites || depth >= MAX_DEPTH) continue;
        const inner = newestOf(file, depth + 1, false);
        if (inner) consider(inner.file, inner.mtimeMs);
      } else {
        consider(file, fs.statSync(file).mtimeMs);
      }
    }
  } catch {
    // A file removed while we look: the folder's own time has changed, which is enough.
  }
  return newest;
}
