// Not a timed test: the acquisition bench runs end to end at a small size and reports finite figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchAcquisitionLatency } from '../../bench/acquisition-latency.js';

test(
  'acquisition-latency bench: watch and a schedule both bring a copied site to its result',
  { timeout: 300_000 },
  async () => {
    const { rows, details } = await benchAcquisitionLatency(true, { sites: 1, scheduleEvery: '5s' });
    assert.equal(rows.length, 1);
    for (const k of ['mpctl', 'baseline', 'ratio'] as const)
      assert.ok(Number.isFinite(rows[0]![k]) && rows[0]![k]! > 0, k);
    const watch = details.watch as Record<string, number>;
    assert.ok(watch.processingS! > 0 && watch.planningS! >= 0, JSON.stringify(details));
  },
);
