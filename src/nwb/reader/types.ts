/** Reader results. Values are SI (volts, amperes, seconds) after `data*conversion + offset`. */

export type ClampMode = 'ic' | 'vc' | 'i0';

export interface NwbSeries {
  /** Absolute HDF5 path of the series group. */
  path: string;
  neurodataType: string;
  unit: 'volts' | 'amperes';
  conversion: number;
  offset: number;
  rate: number;
  startTime: number;
  /** Usable samples: the table's count, minus a trailing run of NaN (aborted sweep). */
  length: number;
  /** Reads samples [start, stop) of the usable range in SI units; one HDF5 hyperslab read. */
  read(start?: number, stop?: number): Float64Array;
}

export interface NwbChannel {
  /** Electrode group name, e.g. "electrode_0". */
  electrode: string;
  electrodePath: string;
  /** AD channel / headstage number from the series name (data_XXXXX_ADy) or the electrode name, if any. */
  adChannel: number | null;
  clampMode: ClampMode;
  sampleRate: number;
  startTime: number;
  stimulusDescription: string;
  /** Samples usable in both response and command. */
  length: number;
  response: NwbSeries;
  command: NwbSeries | null;
}

export interface NwbSweep {
  sweepNumber: number;
  channels: NwbChannel[];
}

export interface NwbElectrode {
  name: string;
  path: string;
}

export interface NwbFile {
  path: string;
  nwbVersion: string;
  identifier: string;
  sessionStartTime: string;
  /** Which grouping was used: the icephys tables, or sweep_number + electrode link. */
  layout: 'icephys-tables' | 'sweep-number';
  electrodes: NwbElectrode[];
  sweeps: NwbSweep[];
  close(): void;
}

export interface OpenNwbOptions {
  /** Electrode names that must have series (pipettes the metadata says recorded). */
  expectedElectrodes?: string[];
  /** Accept IntracellularElectrodes that no series uses (default false: that is a missing channel). */
  allowUnusedElectrodes?: boolean;
}
