import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSweep } from '../../src/analysis/analyze-sweep.js';
import { simulateSite } from '../../src/sample-data/physiology/index.js';

test('one sweep: 12 stimulus pulses with spikes, a window per (post, pulse), matched quiet backgrounds', () => {
  const site = simulateSite({ cells: 4, sweeps: 1, seed: 2 });
  const sweep = site.sweeps[0]!;
  const input = {
    sweepNumber: 0,
    channels: sweep.channels.map((c) => ({
      key: c.electrode,
      rate: 20000,
      command: Float64Array.from(c.command),
      response: Float64Array.from(c.response),
    })),
  };
  const result = analyzeSweep('expt', input);
  assert.equal(result.recordings.length, 4);
  for (const r of result.recordings) {
    const cell = site.cells.find((c) => c.electrode === r.key)!;
    assert.ok(r.qcPass, r.qcReasons.join());
    assert.ok(Math.abs(r.baselinePotential - cell.restingPotential) < 0.5e-3);
    assert.ok(Math.abs(r.testPulse!.inputResistance - cell.inputResistance) / cell.inputResistance < 0.1);
  }
  assert.equal(result.stimPulses.length, 12);
  result.stimPulses.forEach((p, k) => {
    assert.equal(p.key, 'electrode_0');
    assert.ok(Math.abs(p.spike!.maxSlopeTime - sweep.spikeTimes[k]!) <= 0.1e-3, `spike ${k}`);
  });
  assert.equal(result.responses.length, 3 * 12);
  for (const r of result.responses) {
    assert.equal(r.pre, 'electrode_0');
    assert.equal(r.data.length, r.window.stop - r.window.start);
    assert.ok(r.baselineChunk >= 0 && r.baseline, 'every response gets a quiet snippet');
    assert.ok(r.qc.exPass, r.qc.reasons.join());
  }
  // Backgrounds are not reused within a pair.
  const chunks = result.responses.filter((r) => r.post === 'electrode_1').map((r) => r.baselineChunk);
  assert.equal(new Set(chunks).size, chunks.length);
  assert.deepEqual(
    analyzeSweep('expt', input).responses.map((r) => r.baselineChunk),
    result.responses.map((r) => r.baselineChunk),
  );
});
