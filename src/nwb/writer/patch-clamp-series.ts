import type { Group } from 'h5wasm/node';
import type { Prng } from '../../util/prng.js';
import { float32Attr, seriesData, typed } from './h5-write.js';

export interface SeriesSpec {
  name: string;
  neurodataType:
    'CurrentClampSeries' | 'CurrentClampStimulusSeries' | 'VoltageClampSeries' | 'VoltageClampStimulusSeries';
  values: Float32Array;
  unit: 'volts' | 'amperes';
  conversion: number;
  rate: number;
  startTime: number;
  sweepNumber: number;
  sweepNumberDtype: '<Q' | '<I';
  stimulusDescription: string;
  electrodePath: string;
  timeUnit: string;
  compressionLevel: number;
}

/** A PatchClampSeries group as pynwb and IPNWB write it: data@unit/conversion/offset/resolution, starting_time@rate, electrode link. */
export function writeSeries(parent: Group, spec: SeriesSpec, ids: Prng): Group {
  const g = parent.create_group(spec.name);
  typed(g, spec.neurodataType, 'core', ids);
  g.create_attribute('comments', 'no comments');
  g.create_attribute('description', 'no description');
  g.create_attribute('stimulus_description', spec.stimulusDescription);
  g.create_attribute('sweep_number', spec.sweepNumber, [], spec.sweepNumberDtype);
  const data = seriesData(g, spec.values, spec.compressionLevel);
  float32Attr(data, 'conversion', spec.conversion);
  float32Attr(data, 'offset', 0);
  float32Attr(data, 'resolution', -1);
  data.create_attribute('unit', spec.unit);
  const st = g.create_dataset({ name: 'starting_time', data: spec.startTime, dtype: '<d' });
  float32Attr(st, 'rate', spec.rate);
  st.create_attribute('unit', spec.timeUnit);
  g.create_dataset({ name: 'gain', data: 1, dtype: '<f' });
  g.create_soft_link(spec.electrodePath, 'electrode');
  return g;
}
