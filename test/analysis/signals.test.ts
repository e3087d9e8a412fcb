import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignBaselines } from '../../src/analysis/baseline-snippets.js';
import { deconvolve } from '../../src/analysis/filters.js';
import { fitTestPulse } from '../../src/analysis/intrinsic.js';
import { addPsp, pspShape } from '../../src/analysis/psp-model.js';
import { measureResponse } from '../../src/analysis/response-measure.js';
import { detectEvokedSpike } from '../../src/analysis/spike-detection.js';
import { findSquarePulses, findStimPulses, findTestPulse } from '../../src/analysis/square-pulses.js';
import { quietChunks, responseWindow } from '../../src/analysis/windows.js';
import { Prng } from '../../src/util/prng.js';

const RATE = 20000;

function command(): Float64Array {
  const c = new Float64Array(RATE); // 1 s
  c.fill(-20e-12, 400, 1200); // test pulse
  for (let k = 0; k < 3; k++) c.fill(1.8e-9, 6000 + k * 400, 6040 + k * 400);
  c.fill(-1e-9, 15000, 15040); // negative pulse: not a stimulus
  return c;
}

test('square pulses: every step is found; stimulus pulses skip the test pulse and negative pulses', () => {
  const c = command();
  assert.equal(findSquarePulses(c).length, 5);
  const stim = findStimPulses(c, RATE);
  assert.deepEqual(
    stim.map((p) => [p.start, p.stop]),
    [
      [6000, 6040],
      [6400, 6440],
      [6800, 6840],
    ],
  );
  assert.ok(Math.abs(stim[0]!.amplitude - 1.8e-9) < 1e-15);
  assert.deepEqual(findTestPulse(c), { start: 400, stop: 1200, amplitude: -20e-12 });
});

test('response windows run −10 ms … +50 ms and stop at the next pulse; quiet chunks avoid pulses + 100 ms', () => {
  const stim = findStimPulses(command(), RATE);
  assert.deepEqual(responseWindow(stim, 0, RATE, RATE), { start: 5800, stop: 6400 });
  assert.deepEqual(responseWindow(stim, 2, RATE, RATE), { start: 6600, stop: 7800 });
  const chunks = quietChunks([{ start: 400, stop: 1200 }, ...stim], RATE, RATE);
  for (const c of chunks) {
    assert.equal(c.stop - c.start, 400);
    assert.ok(c.stop <= 400 || (c.start >= 3200 && c.stop <= 6000) || c.start >= 8840, `${c.start}`);
  }
});

test('baseline assignment is deterministic per key and never reuses a chunk', () => {
  const chunks = Array.from({ length: 10 }, (_, i) => ({ start: i * 400, stop: i * 400 + 400 }));
  const a = assignBaselines(12, chunks, 'expt 3 e0 e1');
  assert.deepEqual(a, assignBaselines(12, chunks, 'expt 3 e0 e1'));
  assert.notDeepEqual(a, assignBaselines(12, chunks, 'expt 3 e1 e0'));
  assert.equal(new Set(a.filter((x) => x >= 0)).size, 10);
  assert.deepEqual(a.slice(10), [-1, -1]);
});

test('spike detection finds the max-slope time of an action potential, not noise', () => {
  const prng = new Prng(1);
  const v = new Float64Array(2000).map(() => -0.065 + 0.0002 * prng.normal());
  // A cosine AP from −52 mV to +30 mV over 0.4 ms starting at sample 1020.
  for (let k = 0; k < 8; k++) v[1020 + k] = -0.052 + (0.082 * (1 - Math.cos((Math.PI * (k + 1)) / 8))) / 2;
  for (let k = 0; k < 18; k++) v[1028 + k] = -0.072 + (0.102 * (1 + Math.cos((Math.PI * (k + 1)) / 18))) / 2;
  const spike = detectEvokedSpike(v, RATE, { start: 1000, stop: 1040, amplitude: 1.8e-9 });
  assert.ok(spike);
  assert.equal(Math.round(spike.maxSlopeTime * RATE), 1023);
  assert.ok(spike.maxSlope > 100, `${spike.maxSlope}`);
  assert.ok(spike.peakValue > 0.025);
  const quiet = new Float64Array(2000).map(() => -0.065 + 0.0002 * prng.normal());
  assert.equal(detectEvokedSpike(quiet, RATE, { start: 1000, stop: 1040, amplitude: 1.8e-9 }), null);
});

test('deconvolution with the decay τ collapses an exponential tail', () => {
  const x = new Float64Array(4000);
  for (let i = 1000; i < 4000; i++) x[i] = Math.exp(-(i - 1000) / RATE / 0.015);
  const d = deconvolve(x, RATE, 0.015);
  assert.ok(Math.abs(d[3000]!) < 0.01, `tail ${d[3000]}`);
  assert.ok(d[1005]! > 1, 'the onset becomes a pulse');
});

test('response measures recover a PSP: amplitude, latency, template amplitude and sign', () => {
  for (const amp of [0.5e-3, -0.3e-3]) {
    const data = new Float64Array(1200).fill(-0.068);
    const spikeTime = 0.011; // window starts 10 ms before the pulse, spike 1 ms after it
    addPsp(data, RATE, 0, spikeTime + 0.0015, amp, pspShape(0.002, 0.02));
    const m = measureResponse(data, RATE, 200, spikeTime);
    const peak = amp > 0 ? m.posAmp : m.negAmp;
    assert.ok(Math.abs(peak - amp) < 1e-6, `peak ${peak}`);
    assert.ok(Math.abs((amp > 0 ? m.posLatency : m.negLatency) - 0.0035) < 1e-4);
    assert.ok(Math.abs(m.templateAmp - amp) < 0.15 * Math.abs(amp), `template ${m.templateAmp}`);
    assert.equal(Math.sign(m.decMeanAmp), Math.sign(amp));
  }
});

test('the test-pulse fit recovers input resistance and τ from a 40 ms pulse shorter than 2τ', () => {
  const R = 180e6;
  const tau = 0.025;
  const v = new Float64Array(4000).fill(-0.07);
  for (let i = 400; i < 1200; i++) v[i] = -0.07 - 20e-12 * R * (1 - Math.exp(-(i - 400) / RATE / tau));
  const fit = fitTestPulse(v, RATE, { start: 400, stop: 1200, amplitude: -20e-12 });
  assert.ok(fit);
  assert.ok(Math.abs(fit.inputResistance - R) / R < 0.02, `${fit.inputResistance}`);
  assert.ok(Math.abs(fit.tau - tau) / tau < 0.03, `${fit.tau}`);
});

test('test-pulse fit: the interleaved τ-grid sums agree with a plain per-sample least squares', () => {
  // Noisy charging curve, pulse length not a multiple of 4 (the interleaved sum's tail).
  const prng = new Prng(11);
  const R = 150e6;
  const tau = 0.013;
  const v = new Float64Array(4000);
  for (let i = 0; i < v.length; i++) v[i] = -0.068 + 1e-4 * prng.normal();
  for (let i = 400; i < 1203; i++) v[i]! -= 20e-12 * R * (1 - Math.exp(-(i - 400) / RATE / tau));
  const pulse = { start: 400, stop: 1203, amplitude: -20e-12 };
  const fit = fitTestPulse(v, RATE, pulse)!;
  // The same grid, each τ by direct sums of g = 1 − e^{−t/τ} (Math.exp per sample).
  const from = pulse.start + Math.round(0.0002 * RATE);
  let best = { sse: Infinity, tau: 0, level: 0 };
  for (let t = 0.002; t <= 0.1; t *= 1.03) {
    let n = 0,
      sg = 0,
      sgg = 0,
      sy = 0,
      sgy = 0;
    for (let i = from; i < pulse.stop; i++) {
      const g = 1 - Math.exp(-(i - pulse.start) / RATE / t);
      const y = v[i]!;
      n++;
      sg += g;
      sgg += g * g;
      sy += y;
      sgy += g * y;
    }
    const dv = (n * sgy - sg * sy) / (n * sgg - sg * sg);
    const v0 = (sy - dv * sg) / n;
    let sse = 0;
    for (let i = from; i < pulse.stop; i++)
      sse += (v[i]! - v0 - dv * (1 - Math.exp(-(i - pulse.start) / RATE / t))) ** 2;
    if (sse < best.sse) best = { sse, tau: t, level: v0 + dv };
  }
  assert.equal(fit.tau, best.tau);
  const expected = (best.level - fit.baseline) / pulse.amplitude;
  assert.ok(Math.abs(fit.inputResistance - expected) / expected < 1e-8, `${fit.inputResistance} vs ${expected}`);
});
