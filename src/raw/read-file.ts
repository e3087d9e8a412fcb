import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { BadInputError, IgnoredError } from '../errors/index.js';
import { insideRoot } from './scan.js';
import type { JobSource } from './job-source.js';

/** Metadata files are small; anything larger is a mistake or an attack, not a pipettes.yml. */
const MAX_METADATA_BYTES = 1 << 20;
/** Alias expansions allowed per file: plenty for shared defaults, far too few for a "billion laughs". */
const MAX_ALIAS_EXPANSIONS = 100;

/** Resolves a file of a job, refusing one whose real path leaves the job's data root. */
export function jobFile(job: JobSource, name: string): string {
  const file = path.join(job.dir, name);
  if (fs.existsSync(file) && !insideRoot(fs.realpathSync(job.root), file)) {
    throw new BadInputError(file, 'is a link that points outside the data root; refusing to read it');
  }
  return file;
}

/** Fails the job on purpose when its folder holds an ignore.txt, with the file's text as the reason. */
export function failIfIgnored(job: JobSource): void {
  const file = jobFile(job, 'ignore.txt');
  if (fs.existsSync(file)) throw new IgnoredError(file, readText(file));
}

export function readText(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new BadInputError(file, 'file is missing');
  }
  if (!stat.isFile()) throw new BadInputError(file, 'is not a regular file');
  if (stat.size > MAX_METADATA_BYTES)
    throw new BadInputError(file, `is ${stat.size} bytes; metadata files are limited to ${MAX_METADATA_BYTES}`);
  return fs.readFileSync(file, 'utf8');
}

/** Parses a YAML mapping with alias expansion bounded, so a "billion laughs" file fails fast. */
export function readYamlMapping(file: string): Record<string, unknown> {
  const text = readText(file);
  let value: unknown;
  try {
    const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) throw doc.errors[0];
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    if (/excessive alias count/i.test(message))
      throw new BadInputError(
        file,
        `its aliases expand more than ${MAX_ALIAS_EXPANSIONS} times (a YAML bomb?); refusing to expand them`,
      );
    throw new BadInputError(file, `YAML syntax error: ${message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadInputError(file, 'expected a YAML mapping of keys to values');
  }
  return value as Record<string, unknown>;
}
