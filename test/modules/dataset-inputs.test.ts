import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../../src/activities/failures.js';
import { BadInputError } from '../../src/errors/index.js';
import { mapChannels, type ElectrodeRow } from '../../src/modules/dataset/channel-map.js';
import { fromFloat32Bytes, toFloat32Bytes } from '../../src/db/float32.js';
import { siteNwbFile } from '../../src/modules/dataset/nwb-file.js';
import type { NwbFile } from '../../src/nwb/index.js';
import { NwbFormatError } from '../../src/nwb/index.js';

function site(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-site-'));
  const dir = path.join(root, 's', 'site_1');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { jobId: 's/site_1', root, dir };
}

const throwsBadInput = (fn: () => unknown, file: string, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof BadInputError && e.file === file && pattern.test(e.problem));

describe('dataset inputs', () => {
  it('the NWB file is site.yml nwb_file, else the only *.nwb; none or several is bad input naming the folder', () => {
    const named = site({ 'site.yml': 'nwb_file: b.nwb\n', 'a.nwb': '', 'b.nwb': '' });
    assert.equal(siteNwbFile(named), path.join(named.dir, 'b.nwb'));
    const single = site({ 'site.yml': 'rig_name: MP1\n', 'x.NWB': '' });
    assert.equal(siteNwbFile(single), path.join(single.dir, 'x.NWB'));
    const none = site({ 'site.yml': 'rig_name: MP1\n' });
    throwsBadInput(() => siteNwbFile(none), none.dir, /no \*\.nwb file/);
    const several = site({ 'a.nwb': '', 'b.nwb': '' });
    throwsBadInput(() => siteNwbFile(several), several.dir, /several \*\.nwb files \(a\.nwb, b\.nwb\)/);
    const escape = site({ 'site.yml': 'nwb_file: ../../x.nwb\n' });
    throwsBadInput(() => siteNwbFile(escape), path.join(escape.dir, 'site.yml'), /must be a file name/);
  });

  it('channels map to pipettes by ad_channel; an unknown channel or a silent got_data pipette is bad input', () => {
    const nwb = (channels: (number | null)[]) =>
      ({
        sweeps: [
          {
            sweepNumber: 1,
            channels: channels.map((ad, i) => ({
              adChannel: ad,
              electrode: `electrode_${i}`,
              response: { path: `/acquisition/r${i}` },
            })),
          },
        ],
      }) as unknown as NwbFile;
    const e = (id: number, device: number, gotData = true): ElectrodeRow => ({
      id,
      ext_id: String(id),
      device_id: device,
      got_data: gotData,
      cell_id: id,
    });
    const map = mapChannels('f.nwb', nwb([0, 1]), [e(1, 0), e(2, 1), e(3, 7, false)]);
    assert.equal(map.get(1)!.ext_id, '2');
    throwsBadInput(
      () => mapChannels('f.nwb', nwb([0, 2]), [e(1, 0)]),
      'f.nwb',
      /channel 2 \(electrode electrode_1\) has no pipette/,
    );
    throwsBadInput(
      () => mapChannels('f.nwb', nwb([0]), [e(1, 0), e(2, 1)]),
      'f.nwb',
      /pipette 2 \(ad_channel 1\) has got_data but the file has no series/,
    );
    throwsBadInput(() => mapChannels('f.nwb', nwb([null]), [e(1, 0)]), 'f.nwb', /no AD channel number/);
  });

  it('samples survive the float32 bytea round trip', () => {
    const x = Float64Array.from({ length: 257 }, (_, i) => Math.sin(i) * 0.07);
    const back = fromFloat32Bytes(new Uint8Array(Buffer.concat([Buffer.alloc(3), toFloat32Bytes(x)])).subarray(3));
    assert.deepEqual(Array.from(back), Array.from(Float32Array.from(x)));
  });

  it('bad input from the NWB reader becomes a non-retryable BadInput failure naming the file', () => {
    const failure = toActivityFailure(new NwbFormatError('/d/x.nwb', 'not an HDF5 file')) as ApplicationFailure;
    assert.ok(failure instanceof ApplicationFailure);
    assert.equal(failure.type, 'BadInput');
    assert.equal(failure.nonRetryable, true);
    assert.deepEqual(failure.details, [{ sourceFile: '/d/x.nwb' }]);
    assert.ok(!(toActivityFailure(new Error('db down')) instanceof ApplicationFailure), 'other errors stay retryable');
  });
});
