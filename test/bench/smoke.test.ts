// Benchmarks are not timed tests: CI only checks that they run end to end and produce
// finite figures with their baselines, at sizes that take seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchConnectionStrength } from '../../bench/connection-strength.js';
import { benchNwbImport } from '../../bench/nwb-import.js';
import { benchResultWrites } from '../../bench/result-writes.js';
import { benchScaling } from '../../bench/scaling.js';
import { benchSingleSite } from '../../bench/single-site.js';
import type { BenchRow } from '../../bench/support/report.js';
import type { SiteAgreement } from '../../bench/support/site-reference.js';

function assertRows(rows: BenchRow[], benchmark: string): void {
  assert.ok(rows.length > 0, `${benchmark} produced no rows`);
  for (const r of rows) {
    assert.equal(r.benchmark, benchmark);
    for (const k of ['mpctl', 'baseline', 'ratio'] as const)
      assert.ok(Number.isFinite(r[k]) && r[k]! > 0, `${r.metric}: ${k} = ${r[k]}`);
  }
}

test(
  'nwb-import bench: mpctl and the h5py reference cut the same windows and report finite figures',
  { timeout: 600_000 },
  async () => {
    const { rows, details } = await benchNwbImport(true, { cells: 3, sweeps: 3, rounds: 1 });
    assertRows(rows, 'nwb-import');
    assert.ok((details.cut as { windows: number }).windows > 0);
  },
);

test(
  'result-writes bench: bulkInsert and COPY write the same rows and report finite figures',
  { timeout: 300_000 },
  async () => {
    const { rows } = await benchResultWrites(true, { experiments: 1, perExperiment: 50, rounds: 1 });
    assertRows(rows, 'result-writes');
  },
);

test(
  'scaling bench: one and two real worker processes finish every experiment and report finite figures',
  { timeout: 600_000 },
  async () => {
    const { rows } = await benchScaling(true, {
      slices: 1,
      sitesPerSlice: 2,
      cells: 2,
      sweepsPerCell: 1,
      rounds: 1,
      concurrency: 2,
      memoryConcurrencies: [1, 2],
    });
    const byMetric = (part: string) => rows.filter((r) => r.metric.includes(part));
    assert.equal(byMetric('2 workers vs 1').length, 1);
    assert.equal(byMetric('peak RSS').length, 2);
    for (const r of rows) {
      assert.equal(r.benchmark, 'scaling');
      assert.ok(Number.isFinite(r.mpctl), `${r.metric}: ${r.mpctl}`);
      // A difference of two noisy peaks may come out negative; every other figure is a positive measure.
      if (!r.metric.startsWith('RSS per')) assert.ok(r.mpctl > 0, `${r.metric}: ${r.mpctl}`);
    }
    const ratio = byMetric('2 workers vs 1')[0]!;
    assert.ok(Number.isFinite(ratio.ratio) && ratio.ratio! > 0, `ratio ${ratio.ratio}`);
  },
);

test('connection-strength bench: both fit models analyse every pair and report finite figures', async () => {
  const { rows } = await benchConnectionStrength(true, { cells: 3, rounds: 1 });
  assertRows(rows, 'connection-strength');
});

test(
  'single-site bench: one site on 1 thread and on every core writes the same rows, agrees with site.py and reports finite figures',
  { timeout: 600_000 },
  async () => {
    const { rows, details } = await benchSingleSite(true, { cells: 2, sweepsPerCell: 1, rounds: 1 });
    assertRows(rows, 'single-site');
    // The bench throws on disagreement; this checks it compared the columns at all.
    const { worst } = details.siteAgreement as SiteAgreement;
    for (const k of ['responses', 'snippets', 'cell.inputResistance', 'pair.nSamples', 'pair.detectionScore'])
      assert.ok(k in worst, `site.py vs mpctl: ${k} not compared`);
  },
);
