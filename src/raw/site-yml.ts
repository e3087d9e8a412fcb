import { FieldReader } from './fields.js';

export interface SiteMetadata {
  acqTimestamp?: number;
  date?: string;
  targetRegion?: string;
  targetTemperatureC?: number;
  rigName?: string;
  operatorName?: string;
  internal?: string;
  acsf?: string;
  nwbFile?: string;
  meta: Record<string, unknown>;
}

const KNOWN = [
  'acq_timestamp',
  'date',
  'target_region',
  'temperature',
  'rig_name',
  'operator',
  'internal',
  'acsf',
  'nwb_file',
];

/** Validates site.yml (see docs/file-formats.md). `temperature: RT` means room temperature, 22 °C, as in the original pipeline. */
export function parseSiteYml(file: string, data: Record<string, unknown>): SiteMetadata {
  const f = new FieldReader(file, data);
  let temperature: number | undefined;
  if (data.temperature === 'RT') temperature = 22;
  else temperature = f.number('temperature');
  return {
    acqTimestamp: f.number('acq_timestamp'),
    date: f.string('date'),
    targetRegion: f.string('target_region'),
    targetTemperatureC: temperature,
    rigName: f.string('rig_name'),
    operatorName: f.string('operator'),
    internal: f.string('internal'),
    acsf: f.string('acsf'),
    nwbFile: f.string('nwb_file'),
    meta: Object.fromEntries(Object.entries(data).filter(([key]) => !KNOWN.includes(key))),
  };
}
