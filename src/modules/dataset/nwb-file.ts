import fs from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../../errors/index.js';
import { jobFile, readYamlMapping } from '../../raw/read-file.js';
import type { JobSource } from '../../raw/job-source.js';
import { parseSiteYml } from '../../raw/site-yml.js';

/** The site's NWB file: site.yml `nwb_file` if given, else the folder's only *.nwb. */
export function siteNwbFile(job: JobSource): string {
  const siteFile = jobFile(job, 'site.yml');
  const named = fs.existsSync(siteFile) ? parseSiteYml(siteFile, readYamlMapping(siteFile)).nwbFile : undefined;
  if (named) {
    // A name, not a path: site.yml must not steer the reader to files outside the site folder.
    if (path.basename(named) !== named || named === '..' || named === '.')
      throw new BadInputError(siteFile, `nwb_file "${named}" must be a file name in the site folder`);
    return jobFile(job, named);
  }
  const found = fs.readdirSync(job.dir).filter((name) => name.toLowerCase().endsWith('.nwb'));
  if (found.length === 1) return jobFile(job, found[0]!);
  throw new BadInputError(
    job.dir,
    found.length === 0
      ? 'no *.nwb file in the site folder (and no nwb_file in site.yml)'
      : `several *.nwb files (${found.sort().join(', ')}); name the recording with nwb_file in site.yml`,
  );
}
