import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePair, type PairResponse } from '../../../src/modules/connection_strength/pair-connectivity.js';
import { addPsp, pspShape } from '../../../src/analysis/psp-model.js';
import { measureResponse } from '../../../src/analysis/response-measure.js';
import { Prng } from '../../../src/util/prng.js';

const RATE = 20000;

/** Responses to a 4-pulse 50 Hz train over `sweeps` sweeps, with a PSP of `amp` (0 = none) and matched noise-only backgrounds. */
function responses(amp: number, sweeps: number, seed: number, pulseGap = 0.02): PairResponse[] {
  const prng = new Prng(seed);
  const noise = () => 0.15e-3 * prng.normal();
  const out: PairResponse[] = [];
  for (let s = 0; s < sweeps; s++) {
    const trace = new Float64Array(RATE * 0.5).map(() => -0.068 + noise());
    const spikes = [0, 1, 2, 3].map((k) => 0.1 + k * pulseGap + 0.001);
    if (amp) spikes.forEach((t) => addPsp(trace, RATE, 0, t + 0.0016, amp, pspShape(0.0018, 0.02)));
    spikes.forEach((spike, k) => {
      const pulse = Math.round((spike - 0.001) * RATE);
      const start = pulse - 200;
      const stop = k < 3 ? Math.round((spikes[k + 1]! - 0.001) * RATE) : pulse + 1000;
      const data = trace.subarray(start, stop);
      const bg = new Float64Array(400).map(() => -0.068 + noise());
      out.push({
        sweep: s,
        pulseNumber: k,
        windowStart: start / RATE,
        spikeTime: spike,
        data,
        strength: measureResponse(data, RATE, 200, spike - start / RATE),
        background: measureResponse(bg, RATE, 200, 0.011),
        qc: { exPass: true, inPass: true, reasons: [] },
      });
    });
  }
  return out;
}

test('a connected pair: right sign, high score, fitted amplitude and latency', () => {
  for (const amp of [0.4e-3, -0.4e-3]) {
    const r = analyzePair(responses(amp, 10, 1), RATE)!;
    assert.equal(r.synapseType, amp > 0 ? 'ex' : 'in');
    assert.ok(r.detectionScore > 5, `score ${r.detectionScore}`);
    assert.ok(Math.abs(r.fit!.amplitude - amp) < 0.08e-3, `amp ${r.fit!.amplitude}`);
    assert.ok(Math.abs(r.fit!.latency - 0.0016) < 0.3e-3, `lat ${r.fit!.latency}`);
    assert.equal(r.nResponses, 40);
    assert.ok(r.averageResponse && r.averageResponseT0 > 0.01);
  }
});

test('an unconnected pair scores low', () => {
  const scores = [2, 3, 4].map((seed) => analyzePair(responses(0, 10, seed), RATE)!.detectionScore);
  assert.ok(Math.max(...scores) < 3, `scores ${scores}`);
});

test('sweeps with another protocol are left out of the averaged fit, not mixed in', () => {
  const main = responses(0.4e-3, 6, 5);
  const other = responses(0.4e-3, 1, 6, 0.05).map((r) => ({ ...r, sweep: 99 }));
  const r = analyzePair([...main, ...other], RATE)!;
  assert.ok(Math.abs(r.fit!.amplitude - 0.4e-3) < 0.1e-3, `amp ${r.fit!.amplitude}`);
  assert.equal(analyzePair(main.slice(0, 1), RATE), null, 'too few responses');
});

test('the averages the fit used are kept per pulse, with the fitted model on the same samples', () => {
  const r = analyzePair(responses(0.4e-3, 10, 1), RATE)!;
  assert.deepEqual(
    r.averages.map((a) => [a.pulseNumber, a.nAveraged]),
    [0, 1, 2, 3].map((k) => [k, 10]),
  );
  for (const a of r.averages) {
    assert.ok(a.fit && a.fit.length === a.data.length);
    // The model explains the average: its residual is small next to the PSP, and it peaks after the spike.
    let sse = 0;
    for (let i = 0; i < a.data.length; i++) sse += (a.data[i]! - a.fit[i]!) ** 2;
    assert.ok(Math.sqrt(sse / a.data.length) < 0.05e-3, `rms residual ${Math.sqrt(sse / a.data.length)}`);
    const peak = a.fit.indexOf(Math.max(...a.fit));
    assert.ok(a.start + peak / RATE > a.spikeTime, `peak at ${a.start + peak / RATE}, spike ${a.spikeTime}`);
  }
  assert.equal(r.averages[0]!.data, r.averageResponse);
});
