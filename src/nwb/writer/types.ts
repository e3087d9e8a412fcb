/** What the writers need: plain arrays per sweep and channel, SI units (CC: A commands, V responses; VC the reverse). */
export interface NwbRecordingInput {
  sampleRate: number;
  /** Pipette names, one IntracellularElectrode each, e.g. "electrode_0". */
  electrodes: string[];
  sweeps: NwbSweepInput[];
}

export interface NwbSweepInput {
  sweepNumber: number;
  /** Seconds from session start. */
  startTime: number;
  channels: NwbChannelInput[];
}

export interface NwbChannelInput {
  electrode: string;
  stimulusDescription: string;
  /** Voltage clamp writes VoltageClamp(Stimulus)Series: command in V, response in A. Default current clamp. */
  clampMode?: 'ic' | 'vc';
  command: Float32Array;
  response: Float32Array;
}

export interface NwbWriteOptions {
  identifier?: string;
  sessionDescription?: string;
  /** ISO 8601 with timezone; fixed by default so output is reproducible. */
  sessionStartTime?: string;
  /** Seeds the object_id UUIDs. */
  seed?: number;
  /** gzip level 0–9 (0 = uncompressed, still chunked). Default 4. */
  compressionLevel?: number;
  deviceName?: string;
}
