import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Group } from 'h5wasm/node';
import { h5wasm, loadH5 } from '../../src/nwb/h5.js';
import { simulateSite, toNwbInput } from '../../src/sample-data/physiology/index.js';
import type { NwbRecordingInput } from '../../src/nwb/writer/types.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mpctl-${prefix}-`));
}

/** A small site (3 cells, 3 sweeps, short sweeps) so writer/reader tests stay fast. */
export function smallInput(seed = 5, sampleRate = 20000): NwbRecordingInput {
  return toNwbInput(simulateSite({ cells: 3, sweeps: 3, seed, sampleRate, sweepDuration: 0.8 }));
}

export interface ExtraSeries {
  sweep: number;
  electrode: string;
  response?: { values: Float32Array; shape?: number[]; rate?: number; unit?: string };
  stimulus?: { values: Float32Array; rate?: number };
}

/** Appends hand-made series to an existing file (MIES naming), to build malformed inputs. */
export async function appendSeries(path: string, extra: ExtraSeries): Promise<void> {
  await loadH5();
  const f = new h5wasm.File(path, 'a');
  try {
    const tag = `data_${String(extra.sweep).padStart(5, '0')}`;
    const electrodePath = `/general/intracellular_ephys/${extra.electrode}`;
    const add = (
      parent: string,
      name: string,
      type: string,
      values: Float32Array,
      unit: string,
      rate: number,
      shape?: number[],
    ) => {
      const g = (f.get(parent) as Group).create_group(name);
      g.create_attribute('neurodata_type', type);
      g.create_attribute('namespace', 'core');
      g.create_attribute('sweep_number', extra.sweep, [], '<I');
      g.create_attribute('stimulus_description', 'bad');
      const d = g.create_dataset({ name: 'data', data: values, shape: shape ?? [values.length] });
      d.create_attribute('unit', unit);
      d.create_attribute('conversion', 1, [], '<f');
      g.create_dataset({ name: 'starting_time', data: 0, dtype: '<d' }).create_attribute('rate', rate, [], '<f');
      g.create_soft_link(electrodePath, 'electrode');
    };
    if (extra.response)
      add(
        '/acquisition',
        `${tag}_AD9`,
        'CurrentClampSeries',
        extra.response.values,
        extra.response.unit ?? 'volts',
        extra.response.rate ?? 20000,
        extra.response.shape,
      );
    if (extra.stimulus)
      add(
        '/stimulus/presentation',
        `${tag}_DA9`,
        'CurrentClampStimulusSeries',
        extra.stimulus.values,
        'amperes',
        extra.stimulus.rate ?? 20000,
      );
  } finally {
    f.close();
  }
}

export async function editFile(path: string, edit: (f: InstanceType<typeof h5wasm.File>) => void): Promise<void> {
  await loadH5();
  const f = new h5wasm.File(path, 'a');
  try {
    edit(f);
  } finally {
    f.close();
  }
}
