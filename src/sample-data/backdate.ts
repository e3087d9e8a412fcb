import fs from 'node:fs';
import path from 'node:path';

/**
 * Dates every file and folder under `dir` `ageMs` back. Sample experiments stand for finished
 * recordings, so they should not sit out the settle time meant for files still being written.
 */
export function backdate(dir: string, ageMs: number, now = Date.now()): void {
  const when = new Date(now - ageMs);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) backdate(file, ageMs, now);
    else if (entry.isFile()) fs.utimesSync(file, when, when);
  }
  // Last: touching the files does not move the folder's time, but do it after them all the same.
  fs.utimesSync(dir, when, when);
}
