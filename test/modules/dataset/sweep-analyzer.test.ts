import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSweep } from '../../../src/analysis/analyze-sweep.js';
import { startSweepAnalyzer } from '../../../src/modules/dataset/sweep-analyzer.js';
import { simulateSite } from '../../../src/sample-data/physiology/index.js';

test("the analyzer thread gives exactly analyzeSweep's result, windows as views on the caller's responses, in order", async () => {
  const site = simulateSite({ cells: 3, sweeps: 3, seed: 5 });
  const inputs = site.sweeps.map((sweep, n) => ({
    sweepNumber: n,
    channels: sweep.channels.map((c) => ({
      key: c.electrode,
      rate: 20000,
      command: Float64Array.from(c.command),
      response: Float64Array.from(c.response),
    })),
  }));
  const analyzer = startSweepAnalyzer();
  try {
    // All posted before any is awaited, as the dataset module overlaps them.
    const results = await Promise.all(inputs.map((input) => analyzer.analyze('expt', input)));
    for (const [n, input] of inputs.entries()) {
      const direct = analyzeSweep('expt', input);
      assert.ok(direct.responses.length > 0);
      assert.deepEqual(results[n], direct);
      for (const r of results[n]!.responses) {
        const response = input.channels.find((c) => c.key === r.post)!.response;
        assert.equal((r.data as Float64Array).buffer, response.buffer, 'a view, not a copy');
      }
    }
  } finally {
    await analyzer.close();
  }
});

test('after close, analyze rejects instead of hanging', async () => {
  const analyzer = startSweepAnalyzer();
  await analyzer.close();
  await assert.rejects(analyzer.analyze('expt', { sweepNumber: 0, channels: [] }));
});
