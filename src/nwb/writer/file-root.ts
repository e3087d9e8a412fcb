import type { File, Group } from 'h5wasm/node';
import type { Prng } from '../../util/prng.js';
import { scalarString, typed } from './h5-write.js';
import type { NwbRecordingInput, NwbWriteOptions } from './types.js';

export const NWB_VERSION = '2.7.0';
export const DEFAULT_START = '2024-01-15T09:30:00.000000+00:00';

/** Root attributes, required root datasets and the standard top-level groups pynwb creates. */
export function writeRoot(f: File, opts: NwbWriteOptions, ids: Prng): void {
  f.create_attribute('namespace', 'core');
  f.create_attribute('neurodata_type', 'NWBFile');
  f.create_attribute('nwb_version', NWB_VERSION);
  f.create_attribute('object_id', ids.uuid());
  const start = opts.sessionStartTime ?? DEFAULT_START;
  f.create_dataset({ name: 'file_create_date', data: [start] });
  scalarString(f, 'identifier', opts.identifier ?? 'mpctl-sample');
  scalarString(f, 'session_description', opts.sessionDescription ?? 'multipatch connectivity probe');
  scalarString(f, 'session_start_time', start);
  scalarString(f, 'timestamps_reference_time', start);
  for (const g of ['acquisition', 'analysis', 'processing', 'specifications', 'stimulus', 'general']) f.create_group(g);
  (f.get('stimulus') as Group).create_group('presentation');
  (f.get('stimulus') as Group).create_group('templates');
}

/** One Device and one IntracellularElectrode per pipette, each with its `device` soft link. */
export function writeElectrodes(
  f: File,
  input: NwbRecordingInput,
  opts: NwbWriteOptions,
  ids: Prng,
  groupName: (e: string) => string,
): Map<string, string> {
  const general = f.get('general') as Group;
  const devices = general.create_group('devices');
  const deviceName = opts.deviceName ?? 'MultiClamp700B';
  const dev = devices.create_group(deviceName);
  typed(dev, 'Device', 'core', ids);
  dev.create_attribute('description', 'simulated amplifier');
  const icephys = general.create_group('intracellular_ephys');
  const paths = new Map<string, string>();
  for (const name of input.electrodes) {
    const g = icephys.create_group(groupName(name));
    typed(g, 'IntracellularElectrode', 'core', ids);
    scalarString(g, 'description', `pipette ${name}`);
    g.create_soft_link(`/general/devices/${deviceName}`, 'device');
    paths.set(name, g.path);
  }
  return paths;
}
