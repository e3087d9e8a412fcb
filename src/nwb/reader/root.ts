import type { Dataset, Group } from 'h5wasm/node';
import { attrString } from './h5-read.js';
import type { SeriesContext } from './series.js';
import type { NwbElectrode } from './types.js';

/** A root scalar string dataset (identifier, session_start_time), '' when absent. */
export function rootString(ctx: SeriesContext, name: string): string {
  if (ctx.module.get_type(ctx.file.file_id, `/${name}`) !== ctx.module.H5G_DATASET) return '';
  const v = (ctx.file.get(`/${name}`) as Dataset).value;
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : String(v ?? '');
}

/** IntracellularElectrode groups under /general/intracellular_ephys, by neurodata_type. */
export function listElectrodes(ctx: SeriesContext): NwbElectrode[] {
  const base = '/general/intracellular_ephys';
  if (ctx.module.get_type(ctx.file.file_id, base) !== ctx.module.H5G_GROUP) return [];
  const out: NwbElectrode[] = [];
  for (const name of (ctx.file.get(base) as Group).keys()) {
    const path = `${base}/${name}`;
    if (ctx.module.get_type(ctx.file.file_id, path) !== ctx.module.H5G_GROUP) continue;
    if (attrString(ctx.module, ctx.file.get(path) as Group, 'neurodata_type') === 'IntracellularElectrode')
      out.push({ name, path });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}
