import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { holdUnfinished } from '../../src/raw/readiness.js';
import { scanDataRoots } from '../../src/raw/scan.js';
import { backdate } from '../../src/sample-data/backdate.js';
import { resolveConfig } from '../../src/config/config.js';
import { sampleRoot } from '../helpers/sample.js';

const ids = (list: { jobId: string }[]) => list.map((s) => s.jobId);

describe('raw data that is not finished waits', () => {
  it('a site without pipettes.yml is incomplete; the others are planned', () => {
    const { root, experiments } = sampleRoot(1, 2);
    backdate(root, 3_600_000);
    fs.rmSync(path.join(root, experiments[0]!, 'pipettes.yml'));
    const ready = holdUnfinished(scanDataRoots([root]), { seconds: 60 });
    assert.deepEqual(ids(ready.sites), [experiments[1]]);
    assert.deepEqual(ready.waiting, [
      { jobId: experiments[0], reason: 'incomplete', detail: 'no pipettes.yml yet (written at submission)' },
    ]);
    assert.equal(ready.slices.length, 1);
  });

  it('a site changed within the settle time is settling and names the file; it is planned once settled', () => {
    const { root, experiments } = sampleRoot(1, 2);
    backdate(root, 3_600_000);
    const now = Date.now();
    const nwb = path.join(root, experiments[1]!, 'recording.nwb');
    fs.writeFileSync(nwb, 'partial');
    fs.utimesSync(nwb, new Date(now - 12_000), new Date(now - 12_000));
    fs.utimesSync(path.dirname(nwb), new Date(now - 30_000), new Date(now - 30_000));
    const early = holdUnfinished(scanDataRoots([root]), { seconds: 60 }, now);
    assert.deepEqual(ids(early.sites), [experiments[0]]);
    assert.equal(early.waiting.length, 1);
    assert.equal(early.waiting[0]!.reason, 'settling');
    assert.match(early.waiting[0]!.detail, /^recording\.nwb changed 12 s ago/);
    // The slice's own files have not changed: a site being copied does not hold its slice,
    // nor does a new site folder appearing in it (which changes the slice folder's time).
    fs.mkdirSync(path.join(root, experiments[0]!.split('/')[0]!, 'site_new'));
    const withNewSite = holdUnfinished(scanDataRoots([root]), { seconds: 60 }, now);
    assert.equal(withNewSite.slices.length, 1);
    assert.deepEqual(ids(withNewSite.sites), [experiments[0]]);
    fs.rmdirSync(path.join(root, experiments[0]!.split('/')[0]!, 'site_new'));
    const later = holdUnfinished(scanDataRoots([root]), { seconds: 60 }, now + 60_000);
    assert.deepEqual(ids(later.sites), experiments);
    assert.deepEqual(later.waiting, []);
    // Per data root: this root settles in 5 s.
    const perRoot = holdUnfinished(scanDataRoots([root]), { seconds: 60, byRoot: { [root]: 5 } }, now);
    assert.deepEqual(perRoot.waiting, []);
  });

  it('a settling slice holds its sites; settle time 0 holds nothing', () => {
    const { root, experiments } = sampleRoot(1, 2);
    backdate(root, 3_600_000);
    fs.appendFileSync(path.join(root, experiments[0]!.split('/')[0]!, 'slice.yml'), '\n');
    const held = holdUnfinished(scanDataRoots([root]), { seconds: 60 });
    assert.deepEqual(held.slices, []);
    assert.deepEqual(held.sites, []);
    assert.deepEqual(
      held.waiting.map((w) => [w.reason, w.detail.split(' ').slice(0, 2).join(' ')]),
      [
        ['settling', 'slice.yml changed'],
        ['settling', 'slice slice.yml'],
        ['settling', 'slice slice.yml'],
      ],
    );
    assert.deepEqual(holdUnfinished(scanDataRoots([root]), { seconds: 0 }).waiting, []);
  });

  it('settle time: MPCTL_SETTLE_SECONDS over settleSeconds in the config over 60 s; a data root may set its own', () => {
    const dir = fs.mkdtempSync(path.join(path.dirname(sampleRoot().root), 'mpctl-settle-'));
    assert.equal(resolveConfig({}, {}, dir).settle.seconds, 60);
    fs.writeFileSync(
      path.join(dir, 'mpctl.config.json'),
      JSON.stringify({ settleSeconds: 20, dataRoots: ['a', { path: 'b', settleSeconds: 300 }] }),
    );
    const fromFile = resolveConfig({}, {}, dir);
    assert.equal(fromFile.settle.seconds, 20);
    assert.deepEqual(fromFile.settle.byRoot, { [path.join(dir, 'b')]: 300 });
    assert.deepEqual(fromFile.dataRoots, [path.join(dir, 'a'), path.join(dir, 'b')]);
    assert.equal(resolveConfig({}, { MPCTL_SETTLE_SECONDS: '3' }, dir).settle.seconds, 3);
    assert.throws(() => resolveConfig({}, { MPCTL_SETTLE_SECONDS: 'soon' }, dir), /MPCTL_SETTLE_SECONDS/);
  });
});
