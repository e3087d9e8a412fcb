import type { Group } from 'h5wasm/node';
import { h5wasm, loadH5 } from '../h5.js';
import { DEFAULT_START, writeElectrodes, writeRoot } from './file-root.js';
import { idPrng, withFixedClock } from './h5-write.js';
import { writeSeries } from './patch-clamp-series.js';
import type { NwbRecordingInput, NwbWriteOptions } from './types.js';

/**
 * Writes the NWB v2 layout of MIES/IPNWB: data_XXXXX_ADy / data_XXXXX_DAy series, uint32
 * sweep_number, electrode link, values in mV / pA with conversion 1e-3 / 1e-12, and no
 * icephys tables, so readers must group by sweep number and electrode.
 */
export async function writeMiesNwb(input: NwbRecordingInput, path: string, opts: NwbWriteOptions = {}): Promise<void> {
  await loadH5();
  const ids = idPrng(opts.seed, 'mies');
  const level = opts.compressionLevel ?? 4;
  const clock = Date.parse(opts.sessionStartTime ?? DEFAULT_START);
  withFixedClock(clock, () => {
    const f = new h5wasm.File(path, 'w');
    try {
      writeRoot(f, { deviceName: 'ITC18USB_Dev_0', ...opts }, ids);
      const electrodePaths = writeElectrodes(f, input, { deviceName: 'ITC18USB_Dev_0', ...opts }, ids, (e) =>
        e.startsWith('electrode_') ? e : `electrode_${e}`,
      );
      const acquisition = f.get('/acquisition') as Group;
      const presentation = f.get('/stimulus/presentation') as Group;
      for (const sweep of input.sweeps) {
        sweep.channels.forEach((ch, channelIndex) => {
          // This writer's units (mV / pA) are current clamp's; voltage clamp goes through writeIcephysNwb.
          if (ch.clampMode === 'vc') throw new Error('writeMiesNwb writes current clamp only');
          const electrodePath = electrodePaths.get(ch.electrode)!;
          const sweepTag = String(sweep.sweepNumber).padStart(5, '0');
          const common = {
            rate: input.sampleRate,
            startTime: sweep.startTime,
            sweepNumber: sweep.sweepNumber,
            sweepNumberDtype: '<I' as const,
            stimulusDescription: ch.stimulusDescription,
            electrodePath,
            timeUnit: 'Seconds',
            compressionLevel: level,
          };
          writeSeries(
            presentation,
            {
              ...common,
              name: `data_${sweepTag}_DA${channelIndex}`,
              neurodataType: 'CurrentClampStimulusSeries',
              values: scaled(ch.command, 1e12),
              unit: 'amperes',
              conversion: 1e-12,
            },
            ids,
          );
          writeSeries(
            acquisition,
            {
              ...common,
              name: `data_${sweepTag}_AD${channelIndex}`,
              neurodataType: 'CurrentClampSeries',
              values: scaled(ch.response, 1e3),
              unit: 'volts',
              conversion: 1e-3,
            },
            ids,
          );
        });
      }
    } finally {
      f.close();
    }
  });
}

function scaled(values: Float32Array, factor: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * factor;
  return out;
}
