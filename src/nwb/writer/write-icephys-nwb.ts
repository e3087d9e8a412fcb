import type { Group } from 'h5wasm/node';
import { h5wasm, loadH5 } from '../h5.js';
import { DEFAULT_START, writeElectrodes, writeRoot } from './file-root.js';
import { idPrng, withFixedClock } from './h5-write.js';
import { writeIcephysTables, type RecordingRow } from './icephys-tables.js';
import { writeSeries } from './patch-clamp-series.js';
import type { NwbRecordingInput, NwbWriteOptions } from './types.js';

/**
 * Writes current- and voltage-clamp recordings in the layout pynwb produces with
 * add_intracellular_recording / add_icephys_simultaneous_recording: series in
 * /stimulus/presentation and /acquisition plus the icephys tables. Output is byte-identical
 * for the same input and options.
 */
export async function writeIcephysNwb(
  input: NwbRecordingInput,
  path: string,
  opts: NwbWriteOptions = {},
): Promise<void> {
  await loadH5();
  const ids = idPrng(opts.seed, 'icephys');
  const level = opts.compressionLevel ?? 4;
  const clock = Date.parse(opts.sessionStartTime ?? DEFAULT_START);
  withFixedClock(clock, () => {
    const f = new h5wasm.File(path, 'w');
    try {
      writeRoot(f, opts, ids);
      const electrodePaths = writeElectrodes(f, input, opts, ids, (e) => e);
      const acquisition = f.get('/acquisition') as Group;
      const presentation = f.get('/stimulus/presentation') as Group;
      const rows: RecordingRow[] = [];
      const sweepRows: number[][] = [];
      for (const sweep of input.sweeps) {
        const rowsOfSweep: number[] = [];
        for (const ch of sweep.channels) {
          const electrodePath = electrodePaths.get(ch.electrode);
          if (!electrodePath) throw new Error(`channel electrode ${ch.electrode} is not in electrodes`);
          const tag = `${String(sweep.sweepNumber).padStart(3, '0')}_${ch.electrode}`;
          const common = {
            rate: input.sampleRate,
            startTime: sweep.startTime,
            sweepNumber: sweep.sweepNumber,
            sweepNumberDtype: '<Q' as const,
            stimulusDescription: ch.stimulusDescription,
            electrodePath,
            timeUnit: 'seconds',
            compressionLevel: level,
            conversion: 1,
          };
          const vc = ch.clampMode === 'vc';
          const stim = writeSeries(
            presentation,
            {
              ...common,
              name: `stimulus_${tag}`,
              neurodataType: vc ? 'VoltageClampStimulusSeries' : 'CurrentClampStimulusSeries',
              values: ch.command,
              unit: vc ? 'volts' : 'amperes',
            },
            ids,
          );
          const resp = writeSeries(
            acquisition,
            {
              ...common,
              name: `response_${tag}`,
              neurodataType: vc ? 'VoltageClampSeries' : 'CurrentClampSeries',
              values: ch.response,
              unit: vc ? 'amperes' : 'volts',
            },
            ids,
          );
          rowsOfSweep.push(rows.length);
          rows.push({
            electrodePath,
            stimulusPath: stim.path,
            responsePath: resp.path,
            stimulusCount: ch.command.length,
            responseCount: ch.response.length,
          });
        }
        sweepRows.push(rowsOfSweep);
      }
      writeIcephysTables(f, rows, sweepRows, ids);
    } finally {
      f.close();
    }
  });
}
