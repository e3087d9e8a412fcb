import fs from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { CONFIG_FILE_NAME, saveDataRoots } from '../../config/config.js';
import type { RiseShapes } from '../../sample-data/physiology/index.js';
import { writeSampleData, type SampleDataSummary } from '../../sample-data/write-sample-data.js';
import { backdate } from '../../sample-data/backdate.js';
import { sliceOf } from '../../workflow-safe/job-ids.js';
import { MpctlCommand } from '../base-command.js';

const HOUR_MS = 3_600_000;

export default class SampleData extends MpctlCommand<typeof SampleData> {
  static override summary =
    'Write realistic sample experiments (slice and site folders with simulated NWB recordings) to try the pipeline on.';
  static override description =
    'The same seed always writes the same files. The ground truth (mV, ms, keyed by experiment and pipette) goes to OUT/truth/, which no module reads; check the pipeline against it with `mpctl validate --truth OUT/truth`.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --out ./data --slices 3 --sites-per-slice 2 --cells 6 --seed 11',
    '<%= config.bin %> <%= command.id %> --cells 8 --sweeps 10 --connection-probability 0.4 --noise 1.5',
    '<%= config.bin %> <%= command.id %> --rise-shapes mixed --test-pulse-gap 10 --membrane-tau 20-40',
    '<%= config.bin %> <%= command.id %> --voltage-clamp-sweeps 5',
  ];
  static override flags = {
    out: Flags.string({ char: 'o', description: 'Folder to write (becomes a data root)', default: 'data' }),
    slices: Flags.integer({ description: 'Slices to write', default: 2, min: 1 }),
    'sites-per-slice': Flags.integer({ description: 'Recording sites (experiments) per slice', default: 2, min: 1 }),
    cells: Flags.integer({ description: 'Patched cells per site', default: 4, min: 2, max: 8 }),
    sweeps: Flags.integer({
      description: 'Sweeps per cell (each drives that cell with a 50 Hz train)',
      default: 5,
      min: 1,
      max: 100,
    }),
    'connection-probability': Flags.string({
      description:
        'Probability that an ordered cell pair is connected (0–1), the same for every pair [default: by pre/post class and lateral distance, pmax·exp(−d²/2σ²), see truth/connectivity.json]',
    }),
    noise: Flags.string({ description: "Scale of every cell's recording noise (1 = typical)", default: '1' }),
    'rise-shapes': Flags.string({
      description:
        "Onset shape of the evoked PSPs: smooth (the fit model's squared rise), sharp (single-exponential onset) or mixed (each connection either, ½ each)",
      options: ['smooth', 'sharp', 'mixed'],
      default: 'smooth',
    }),
    'test-pulse-gap': Flags.string({
      description:
        'Milliseconds from the end of the test pulse to the first train pulse, so the membrane is still relaxing as the train starts (2–250; default: test pulse at 20 ms)',
    }),
    'membrane-tau': Flags.string({
      description:
        'Membrane τ range in ms drawn per cell, LO-HI (e.g. 20-40 for slow cells; default: τ = R·C, about 5–36 ms)',
    }),
    settled: Flags.boolean({
      description:
        'Date the files an hour back, as finished recordings, so updates plan them without waiting for the settle time (--no-settled keeps the write time)',
      default: true,
      allowNo: true,
    }),
    'voltage-clamp-sweeps': Flags.integer({
      description:
        'Sweeps per cell, after the current-clamp ones, in which the driven cell is in current clamp and the others are held in voltage clamp at −70 mV (NWB VoltageClampSeries, PSC truth in pairs.json `psc`) [default: 0, none]',
      min: 0,
      default: 0,
    }),
    seed: Flags.integer({
      description: 'Random seed (each site is simulated with its own seed derived from it)',
      default: 1,
    }),
  };

  async run(): Promise<SampleDataSummary & { configFile?: string }> {
    const out = path.resolve(this.flags.out);
    const summary = await writeSampleData({
      out,
      slices: this.flags.slices,
      sitesPerSlice: this.flags['sites-per-slice'],
      cells: this.flags.cells,
      seed: this.flags.seed,
      sweepsPerCell: this.flags.sweeps,
      connectionProbability:
        this.flags['connection-probability'] === undefined ? undefined : this.fraction('connection-probability', 0, 1),
      noise: this.fraction('noise', 0, 10),
      riseShapes: this.flags['rise-shapes'] as RiseShapes,
      testPulseGap: this.testPulseGap(),
      membraneTau: this.membraneTau(),
      voltageClampSweepsPerCell: this.flags['voltage-clamp-sweeps'],
    });
    if (this.flags.settled)
      for (const slice of new Set(summary.experiments.map(sliceOf))) backdate(path.join(out, slice), HOUR_MS);
    this.say(
      `wrote ${summary.experiments.length} experiments in ${summary.slices} slices to ${out} (${summary.connections} connections among ${summary.pairs} ordered pairs; ground truth in ${summary.truthDir})`,
    );
    const config = this.settings();
    let configFile: string | undefined;
    if (!config.dataRoots.includes(out)) {
      // Make the new folder a data root when nothing else says where the data is.
      if (config.sources.dataRoots === 'default' && !fs.existsSync(CONFIG_FILE_NAME)) {
        configFile = saveDataRoots([out]);
        this.say(`made ${out} the data root in ${configFile}`);
      } else {
        this.say(`note: ${out} is not a data root; add it with --data-root, MPCTL_DATA_ROOTS or ${CONFIG_FILE_NAME}`);
      }
    }
    return { ...summary, configFile };
  }

  private testPulseGap(): number | null {
    const raw = this.flags['test-pulse-gap'];
    if (raw === undefined) return null;
    const ms = Number(raw);
    if (!Number.isFinite(ms) || ms < 2 || ms > 250) this.error('--test-pulse-gap must be 2 to 250 (ms)', { exit: 2 });
    return ms * 1e-3;
  }

  private membraneTau(): [number, number] | null {
    const raw = this.flags['membrane-tau'];
    if (raw === undefined) return null;
    const match = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(raw);
    const [lo, hi] = match ? [Number(match[1]), Number(match[2])] : [Number.NaN, Number.NaN];
    if (!(lo >= 1 && hi >= lo && hi <= 100))
      this.error('--membrane-tau must be LO-HI in ms within 1–100, e.g. 20-40', { exit: 2 });
    return [lo * 1e-3, hi * 1e-3];
  }

  private fraction(flag: 'connection-probability' | 'noise', min: number, max: number): number {
    const value = Number(this.flags[flag]);
    if (!Number.isFinite(value) || value < min || value > max)
      this.error(`--${flag} must be a number from ${min} to ${max}`, { exit: 2 });
    return value;
  }
}
