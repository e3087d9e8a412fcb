import { FieldReader } from '../../raw/fields.js';

export interface SliceMetadata {
  specimenId?: string;
  species?: string;
  genotype?: string;
  ageDays?: number;
  date?: string;
  quality?: number;
  hemisphere?: string;
  thicknessUm?: number;
  project?: string;
  meta: Record<string, unknown>;
}

const KNOWN = [
  'specimen_id',
  'species',
  'genotype',
  'age_days',
  'date',
  'quality',
  'hemisphere',
  'thickness_um',
  'project',
];

/** Validates slice.yml (see docs/file-formats.md); unknown keys are kept in `meta`. */
export function parseSliceYml(file: string, data: Record<string, unknown>): SliceMetadata {
  const f = new FieldReader(file, data);
  const quality = f.integer('quality');
  if (quality !== undefined && (quality < 0 || quality > 5))
    throw f.fail_('quality', `must be between 0 and 5, got ${quality}`);
  return {
    specimenId: f.string('specimen_id'),
    species: f.string('species'),
    genotype: f.string('genotype'),
    ageDays: f.integer('age_days'),
    date: f.string('date'),
    quality,
    hemisphere: f.string('hemisphere'),
    thicknessUm: f.number('thickness_um'),
    project: f.string('project'),
    meta: Object.fromEntries(Object.entries(data).filter(([key]) => !KNOWN.includes(key))),
  };
}
