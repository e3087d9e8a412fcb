import fs from 'node:fs';
import path from 'node:path';
import type { Dataset, Group } from 'h5wasm/node';
import { h5wasm, loadH5 } from '../../src/nwb/h5.js';
import { writeIcephysNwb, writeMiesNwb } from '../../src/nwb/writer/index.js';
import type { SampleSite } from '../../src/sample-data/metadata.js';
import { appendSeries, editFile, smallInput } from '../nwb/fixtures.js';

/** Where a hostile case writes: its site folder, and a folder outside every data root. */
export interface CaseContext {
  site: SampleSite;
  nwb: string;
  outside: string;
}

export interface HostileCase {
  kind: string;
  /** The module whose job must fail; the modules upstream of it succeed. */
  module: 'experiment' | 'dataset';
  /** The file the error must name, relative to the site folder. */
  file: string;
  message: RegExp;
  write(ctx: CaseContext): Promise<void> | void;
}

const pipettes = (ctx: CaseContext) => path.join(ctx.site.dir, 'pipettes.yml');
const siteYml = (ctx: CaseContext) => path.join(ctx.site.dir, 'site.yml');
const mies = (ctx: CaseContext, seed: number) => writeMiesNwb(smallInput(seed), ctx.nwb, { seed, compressionLevel: 1 });
const replaceWithLink = (file: string, target: string) => {
  fs.rmSync(file);
  fs.symlinkSync(target, file);
};

/** Every kind of bad input the issue names, and a few more; each case breaks one site folder. */
export const HOSTILE_CASES: HostileCase[] = [
  {
    kind: 'zero-byte NWB file',
    module: 'dataset',
    file: 'recording.nwb',
    message: /empty file, not HDF5/,
    write: (ctx) => fs.writeFileSync(ctx.nwb, ''),
  },
  {
    kind: 'truncated NWB file',
    module: 'dataset',
    file: 'recording.nwb',
    message: /truncated|cannot (open|read)/,
    async write(ctx) {
      await mies(ctx, 6);
      fs.truncateSync(ctx.nwb, Math.floor(fs.statSync(ctx.nwb).size / 2));
    },
  },
  {
    kind: 'not HDF5, named .nwb',
    module: 'dataset',
    file: 'recording.nwb',
    message: /not an HDF5 file/,
    write: (ctx) => fs.writeFileSync(ctx.nwb, 'this is not an HDF5 file\n'.repeat(100)),
  },
  {
    kind: 'HDF5 that is not NWB',
    module: 'dataset',
    file: 'recording.nwb',
    message: /not NWB/,
    async write(ctx) {
      await loadH5();
      const f = new h5wasm.File(ctx.nwb, 'w');
      f.create_group('data').create_dataset({ name: 'x', data: new Float32Array(10) });
      f.close();
    },
  },
  {
    kind: 'series missing (pipette recorded, no series)',
    module: 'dataset',
    file: 'recording.nwb',
    message: /pipette 9 \(ad_channel 5\) has got_data but the file has no series/,
    async write(ctx) {
      await writeIcephysNwb(smallInput(9), ctx.nwb, { seed: 9, compressionLevel: 1 });
      fs.appendFileSync(pipettes(ctx), '"9":\n  ad_channel: 5\n  pipette_status: GOhm seal\n  got_data: true\n');
    },
  },
  {
    kind: 'series missing (stimulus without response)',
    module: 'dataset',
    file: 'recording.nwb',
    message: /has no response/,
    async write(ctx) {
      await mies(ctx, 7);
      await appendSeries(ctx.nwb, { sweep: 90, electrode: 'electrode_1', stimulus: { values: new Float32Array(100) } });
    },
  },
  {
    kind: 'NaN inside the data',
    module: 'dataset',
    file: 'recording.nwb',
    message: /sample 100 of \d+ is NaN inside the recorded data/,
    async write(ctx) {
      await mies(ctx, 10);
      await editFile(ctx.nwb, (f) =>
        (f.get('/acquisition/data_00000_AD0/data') as Dataset).write_slice(
          [[100, 102]],
          new Float32Array([Number.NaN, Number.NaN]),
        ),
      );
    },
  },
  {
    kind: 'wrong unit attribute (unknown unit)',
    module: 'dataset',
    file: 'recording.nwb',
    message: /unknown unit "furlongs"/,
    async write(ctx) {
      await mies(ctx, 8);
      await editFile(ctx.nwb, (f) => setUnit(f.get('/acquisition/data_00001_AD1/data') as Dataset, 'furlongs'));
    },
  },
  {
    kind: 'wrong unit attribute (amperes on a current-clamp response)',
    module: 'dataset',
    file: 'recording.nwb',
    message: /unit amperes does not fit CurrentClampSeries/,
    async write(ctx) {
      await mies(ctx, 11);
      await editFile(ctx.nwb, (f) => setUnit(f.get('/acquisition/data_00000_AD0/data') as Dataset, 'amperes'));
    },
  },
  {
    kind: 'mismatched sample rates',
    module: 'dataset',
    file: 'recording.nwb',
    message: /sample rate 10000 Hz differs from its response/,
    async write(ctx) {
      await mies(ctx, 12);
      await editFile(ctx.nwb, (f) => {
        const start = f.get('/stimulus/presentation/data_00000_DA0/starting_time') as Dataset;
        start.delete_attribute('rate');
        start.create_attribute('rate', 10000, [], '<f');
      });
    },
  },
  {
    kind: 'dataset claiming absurd dimensions',
    module: 'dataset',
    file: 'recording.nwb',
    message: /absurd data length 1099511627776/,
    async write(ctx) {
      await mies(ctx, 13);
      await editFile(ctx.nwb, (f) => {
        // 2^40 samples claimed, 16 stored: a chunked dataset resized without writing.
        const g = (f.get('/acquisition') as Group).create_group('data_00090_AD9');
        g.create_attribute('neurodata_type', 'CurrentClampSeries');
        g.create_attribute('sweep_number', 90, [], '<I');
        const data = g.create_dataset({
          name: 'data',
          data: new Float32Array(16),
          shape: [16],
          maxshape: [null],
          chunks: [4096],
        });
        data.create_attribute('unit', 'volts');
        data.resize([2 ** 40]);
        g.create_dataset({ name: 'starting_time', data: 0, dtype: '<d' }).create_attribute('rate', 20000, [], '<f');
        g.create_soft_link('/general/intracellular_ephys/electrode_1', 'electrode');
      });
    },
  },
  {
    kind: 'YAML syntax error',
    module: 'experiment',
    file: 'pipettes.yml',
    message: /YAML syntax error/,
    write: (ctx) => fs.writeFileSync(pipettes(ctx), '"1":\n  ad_channel: [0,\n  got_data: true\n'),
  },
  {
    kind: 'YAML bomb (deep aliases)',
    module: 'experiment',
    file: 'site.yml',
    message: /its aliases expand more than 100 times \(a YAML bomb\?\)/,
    write(ctx) {
      const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let i = 1; i < 9; i++)
        levels.push(
          `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(96 + i)}`)
            .join(',')}]`,
        );
      fs.writeFileSync(siteYml(ctx), levels.join('\n') + '\n');
    },
  },
  {
    kind: 'pipette with an unknown channel (ad_channel 99)',
    module: 'experiment',
    file: 'pipettes.yml',
    message: /ad_channel.*must be between 0 and 15, got 99/,
    write: (ctx) => fs.appendFileSync(pipettes(ctx), '"9":\n  ad_channel: 99\n  got_data: true\n'),
  },
  {
    kind: 'channel in the file that no pipette claims',
    module: 'dataset',
    file: 'recording.nwb',
    message: /channel 2 \(electrode electrode_2\) has no pipette with that ad_channel/,
    async write(ctx) {
      await mies(ctx, 14);
      const text = fs.readFileSync(pipettes(ctx), 'utf8');
      fs.writeFileSync(pipettes(ctx), text.slice(0, text.indexOf('"3":')));
    },
  },
  {
    kind: 'metadata file of 2 MiB',
    module: 'experiment',
    file: 'pipettes.yml',
    message: /metadata files are limited to 1048576/,
    write: (ctx) => fs.appendFileSync(pipettes(ctx), `# ${'x'.repeat(2 * 1024 * 1024)}\n`),
  },
  {
    kind: 'symlink out of the data root (site.yml)',
    module: 'experiment',
    file: 'site.yml',
    message: /is a link that points outside the data root/,
    write(ctx) {
      fs.copyFileSync(siteYml(ctx), path.join(ctx.outside, 'site.yml'));
      replaceWithLink(siteYml(ctx), path.join(ctx.outside, 'site.yml'));
    },
  },
  {
    kind: 'symlink out of the data root (NWB)',
    module: 'dataset',
    file: 'recording.nwb',
    message: /is a link that points outside the data root/,
    async write(ctx) {
      await writeIcephysNwb(smallInput(15), path.join(ctx.outside, 'recording.nwb'), { seed: 15, compressionLevel: 1 });
      fs.symlinkSync(path.join(ctx.outside, 'recording.nwb'), ctx.nwb);
    },
  },
  {
    kind: 'nwb_file naming a path out of the site folder',
    module: 'dataset',
    file: 'site.yml',
    message: /nwb_file "\.\.\/\.\.\/\.\.\/outside\.nwb" must be a file name in the site folder/,
    async write(ctx) {
      await writeIcephysNwb(smallInput(16), ctx.nwb, { seed: 16, compressionLevel: 1 });
      fs.writeFileSync(
        siteYml(ctx),
        fs.readFileSync(siteYml(ctx), 'utf8').replace('nwb_file: recording.nwb', 'nwb_file: ../../../outside.nwb'),
      );
    },
  },
];

function setUnit(data: Dataset, unit: string): void {
  data.delete_attribute('unit');
  data.create_attribute('unit', unit);
}

/** Folder names a shell or a SQL string would choke on; their experiments must simply work. */
export const ODD_SLICE_NAME = `2026-12-01 O'Brien "test"; DROP TABLE slice; --`;
export const ODD_SITE_NAME = 'site_ü-ñ;\'"ø';
