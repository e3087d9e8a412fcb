import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface OutputFile {
  /** Relative to the results root. */
  path: string;
  size: number;
  sha256: string;
}

/** Where a job's files are kept: `<results root>/<module>/<job id as one folder name>/`. */
export function jobOutputDir(resultsRoot: string, module: string, jobId: string): string {
  return path.join(resultsRoot, module, jobId.replace(/[^A-Za-z0-9._-]+/g, '__'));
}

/** Moves what the program left in its output folder under the results root; lists the files with their sha256. */
export function moveOutputs(outputDir: string, resultsRoot: string, module: string, jobId: string): OutputFile[] {
  const files = listFiles(outputDir);
  const target = jobOutputDir(resultsRoot, module, jobId);
  fs.rmSync(target, { recursive: true, force: true });
  if (files.length === 0) return [];
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.renameSync(outputDir, target);
  return files.map((relative) => {
    const full = path.join(target, relative);
    return {
      path: path.relative(resultsRoot, full),
      size: fs.statSync(full).size,
      sha256: crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'),
    };
  });
}

/** Removes a job's kept files (a drop, or a re-run replacing them). */
export function removeJobOutputs(resultsRoot: string, module: string, jobId: string): void {
  fs.rmSync(jobOutputDir(resultsRoot, module, jobId), { recursive: true, force: true });
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) return listFiles(path.join(dir, entry.name), relative);
    return entry.isFile() ? [relative] : [];
  });
}
