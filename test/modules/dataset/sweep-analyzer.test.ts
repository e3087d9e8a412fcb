import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSweep } from '../../../src/analysis/analyze-sweep.js';
import { closeIdleAnalyzers, idleAnalyzers, startSweepAnalyzer } from '../../../src/modules/dataset/sweep-analyzer.js';
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

test('a closed analyzer thread serves the next analyzer, with that one’s QC options; a busy one is not kept', async () => {
  await closeIdleAnalyzers();
  const site = simulateSite({ cells: 2, sweeps: 1, seed: 3 });
  const input = {
    sweepNumber: 0,
    channels: site.sweeps[0]!.channels.map((c) => ({
      key: c.electrode,
      rate: 20000,
      command: Float64Array.from(c.command),
      response: Float64Array.from(c.response),
    })),
  };
  const strict = { exRange: [-0.001, 0] as [number, number], inRange: [-0.001, 0] as [number, number] };
  const first = startSweepAnalyzer();
  assert.deepEqual(await first.analyze('expt', input), analyzeSweep('expt', input));
  await first.close();
  assert.equal(idleAnalyzers(), 1, 'kept');
  const second = startSweepAnalyzer(strict);
  assert.equal(idleAnalyzers(), 0, 'handed out');
  assert.deepEqual(await second.analyze('expt', input), analyzeSweep('expt', input, strict));
  // Closed with a sweep still being analysed: its answer must not reach a later job.
  void second.analyze('expt', input);
  await second.close();
  assert.equal(idleAnalyzers(), 0, 'a busy thread is terminated, not kept');
  const third = startSweepAnalyzer();
  assert.deepEqual(await third.analyze('expt', input), analyzeSweep('expt', input));
  await third.close();
  await closeIdleAnalyzers();
  assert.equal(idleAnalyzers(), 0);
});
