import type { Group } from 'h5wasm/node';
import { NwbFormatError } from '../errors.js';
import { attrNumber, attrString } from './h5-read.js';
import { RESPONSE_TYPES, STIMULUS_TYPES, type SeriesContext } from './series.js';

export interface ScannedSeries {
  path: string;
  name: string;
  neurodataType: string;
  sweepNumber: number;
  electrodePath: string;
}

/**
 * PatchClampSeries under a group (/acquisition or /stimulus/presentation), identified by
 * neurodata_type, with their sweep number (attribute, else the data_XXXXX_ name as MIES
 * writes it) and electrode link target.
 */
export function scanSeries(ctx: SeriesContext, groupPath: string, kind: 'response' | 'stimulus'): ScannedSeries[] {
  const { module, file, filePath } = ctx;
  if (module.get_type(file.file_id, groupPath) !== module.H5G_GROUP) return [];
  const types = kind === 'response' ? RESPONSE_TYPES : STIMULUS_TYPES;
  const out: ScannedSeries[] = [];
  for (const name of (file.get(groupPath) as Group).keys()) {
    const path = `${groupPath}/${name}`;
    if (module.get_type(file.file_id, path) !== module.H5G_GROUP) continue;
    const group = file.get(path) as Group;
    const neurodataType = attrString(module, group, 'neurodata_type');
    if (!neurodataType || !(neurodataType in types)) continue;
    const sweepNumber = attrNumber(module, group, 'sweep_number') ?? sweepFromName(name);
    if (sweepNumber === undefined)
      throw new NwbFormatError(filePath, `${path}: no sweep_number attribute and no data_XXXXX_ name to group it by`);
    out.push({ path, name, neurodataType, sweepNumber, electrodePath: electrodeTarget(ctx, path) });
  }
  return out;
}

function sweepFromName(name: string): number | undefined {
  const m = /^data_(\d+)_/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The `electrode` soft link's target; get_link needs the absolute path (h5wasm does not resolve relative names). */
export function electrodeTarget(ctx: SeriesContext, seriesPath: string): string {
  const { module, file, filePath } = ctx;
  const linkPath = `${seriesPath}/electrode`;
  const type = module.get_type(file.file_id, linkPath);
  // get_type follows a resolvable soft link (GROUP) and reports a dangling one as LINK.
  if (type === module.H5G_LINK)
    throw new NwbFormatError(filePath, `${linkPath}: link to missing electrode ${file.get_link(linkPath)}`);
  if (type === module.H5G_GROUP) {
    try {
      const target = file.get_link(linkPath);
      if (target) return target;
    } catch {
      // a hard link: the group is the electrode itself
    }
    return linkPath;
  }
  throw new NwbFormatError(filePath, `${seriesPath}: series has no electrode link`);
}
