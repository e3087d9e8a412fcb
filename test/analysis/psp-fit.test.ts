import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitPsp } from '../../src/analysis/psp-fit.js';
import { addPsp, pspShape, pspValue, riseTauFor, SHARP_ONSET } from '../../src/analysis/psp-model.js';
import { rocAuc, validate } from '../../src/analysis/validation.js';
import { Prng } from '../../src/util/prng.js';

const RATE = 20000;

test('the PSP kernel peaks at riseTime with unit height', () => {
  const shape = pspShape(0.002, 0.02);
  assert.ok(Math.abs(pspValue(shape, 0.002) - 1) < 1e-9);
  assert.ok(pspValue(shape, 0.0019) < 1 && pspValue(shape, 0.0021) < 1);
  assert.ok(riseTauFor(0.001, 0.02) < riseTauFor(0.003, 0.02));
});

test('a spike-aligned average is fitted: amplitude, latency, rise and decay', () => {
  const prng = new Prng(4);
  const data = new Float64Array(1200).map(() => 0.00002 * prng.normal());
  addPsp(data, RATE, 0, 0.011 + 0.0018, 0.4e-3, pspShape(0.0022, 0.018));
  const fit = fitPsp({ rate: RATE, segments: [{ start: 0, data }], events: [{ time: 0.011, group: 0 }], nGroups: 1 });
  assert.ok(Math.abs(fit.amplitudes[0]! - 0.4e-3) < 0.02e-3, `amp ${fit.amplitudes[0]}`);
  assert.ok(Math.abs(fit.latency - 0.0018) < 0.15e-3, `lat ${fit.latency}`);
  assert.ok(Math.abs(fit.riseTime - 0.0022) < 0.4e-3, `rise ${fit.riseTime}`);
  assert.ok(Math.abs(fit.decayTau - 0.018) < 3e-3, `decay ${fit.decayTau}`);
  assert.ok(fit.nrmse < 0.3);
});

test('a depressing train is fitted with shared kinetics despite summation', () => {
  const prng = new Prng(9);
  const trace = new Float64Array(RATE * 0.4).map(() => 0.00005 * prng.normal());
  const spikes = Array.from({ length: 8 }, (_, k) => 0.05 + k * 0.02);
  const amps = spikes.map((_, k) => 0.6e-3 * 0.7 ** k);
  spikes.forEach((t, k) => addPsp(trace, RATE, 0, t + 0.0015, amps[k]!, pspShape(0.0015, 0.025)));
  // Windows as the pipeline stores them: pulse −10 ms to the next pulse.
  const segments = spikes.map((t, k) => {
    const start = Math.round((t - 0.011) * RATE);
    const stop = k < 7 ? Math.round((spikes[k + 1]! - 0.001) * RATE) : start + RATE * 0.06;
    return { start: start / RATE, data: trace.subarray(start, stop) };
  });
  const fit = fitPsp({ rate: RATE, segments, events: spikes.map((time, group) => ({ time, group })), nGroups: 8 });
  fit.amplitudes.forEach((a, k) => assert.ok(Math.abs(a - amps[k]!) < 0.04e-3, `pulse ${k}: ${a} vs ${amps[k]}`));
  assert.ok(Math.abs(fit.latency - 0.0015) < 0.2e-3, `lat ${fit.latency}`);
  assert.ok(Math.abs(fit.decayTau - 0.025) < 4e-3, `decay ${fit.decayTau}`);
});

test('a sharp (single-exponential) onset gives the true onset, not an early one, and a rise below the cap', () => {
  const prng = new Prng(5);
  const data = new Float64Array(1200).map(() => 0.00002 * prng.normal());
  addPsp(data, RATE, 0, 0.011 + 0.0015, 0.5e-3, pspShape(0.002, 0.02, SHARP_ONSET));
  const fit = fitPsp({ rate: RATE, segments: [{ start: 0, data }], events: [{ time: 0.011, group: 0 }], nGroups: 1 });
  assert.ok(Math.abs(fit.latency - 0.0015) < 0.1e-3, `lat ${fit.latency}`);
  assert.ok(fit.onsetExponent < 1.3, `exponent ${fit.onsetExponent}`);
  assert.ok(Math.abs(fit.riseTime - 0.002) < 0.4e-3, `rise ${fit.riseTime}`);
  assert.ok(Math.abs(fit.amplitudes[0]! - 0.5e-3) < 0.02e-3, `amp ${fit.amplitudes[0]}`);
  // The model's own smooth foot fitted with the smooth exponent: the old behaviour, one shape among others.
  const smooth = fitPsp({
    rate: RATE,
    segments: [{ start: 0, data }],
    events: [{ time: 0.011, group: 0 }],
    nGroups: 1,
    onsetExponent: 2,
  });
  assert.ok(smooth.latency < 0.0015 - 0.1e-3, `a smooth-foot model puts a sharp onset early: ${smooth.latency}`);
  assert.ok(Math.abs(fit.latency - 0.0015) < Math.abs(smooth.latency - 0.0015));
});

test('a train on a membrane relaxing from a test pulse: amplitudes unbiased, relaxation recovered', () => {
  const prng = new Prng(12);
  const trace = new Float64Array(RATE * 0.4).map(() => 0.00005 * prng.normal());
  // Recovering from a −3 mV test pulse that ended 10 ms before the first pulse, τ 35 ms.
  for (let i = 0; i < trace.length; i++) trace[i]! += -3e-3 * Math.exp(-Math.max(0, i / RATE - 0.04) / 0.035);
  const spikes = Array.from({ length: 8 }, (_, k) => 0.05 + k * 0.02);
  const amps = spikes.map((_, k) => 0.4e-3 * 0.75 ** k);
  spikes.forEach((t, k) => addPsp(trace, RATE, 0, t + 0.0018, amps[k]!, pspShape(0.002, 0.02)));
  const segments = spikes.map((t, k) => {
    const start = Math.round((t - 0.011) * RATE);
    const stop = k < 7 ? Math.round((spikes[k + 1]! - 0.001) * RATE) : start + RATE * 0.06;
    return { start: start / RATE, data: trace.subarray(start, stop) };
  });
  const input = { rate: RATE, segments, events: spikes.map((time, group) => ({ time, group })), nGroups: 8 };
  const fit = fitPsp(input);
  fit.amplitudes.forEach((a, k) => assert.ok(Math.abs(a - amps[k]!) < 0.03e-3, `pulse ${k}: ${a} vs ${amps[k]}`));
  assert.ok(Math.abs(fit.latency - 0.0018) < 0.15e-3, `lat ${fit.latency}`);
  assert.ok(Math.abs(fit.drift.tau - 0.035) < 0.01, `drift τ ${fit.drift.tau}`);
  // Flat baselines per window cannot follow the relaxation: the first pulse comes out too large.
  const flat = fitPsp({ ...input, baselineDrift: false });
  assert.ok(flat.amplitudes[0]! - amps[0]! > 0.05e-3, `flat-baseline amplitude ${flat.amplitudes[0]}`);
});

test('fast rises on one long segment do not overflow (the kernel runs from each onset)', () => {
  for (const rise of [0.4e-3, 0.8e-3, 1.2e-3]) {
    const data = new Float64Array(RATE);
    addPsp(data, RATE, 0, 0.6 + 0.0015, 0.5e-3, pspShape(rise, 0.015));
    const fit = fitPsp({ rate: RATE, segments: [{ start: 0, data }], events: [{ time: 0.6, group: 0 }], nGroups: 1 });
    assert.ok(Math.abs(fit.amplitudes[0]! - 0.5e-3) < 0.01e-3, `rise ${rise}: amp ${fit.amplitudes[0]}`);
    assert.ok(Math.abs(fit.latency - 0.0015) < 0.1e-3, `rise ${rise}: lat ${fit.latency}`);
    assert.ok(Number.isFinite(fit.nrmse));
  }
});

test('ROC AUC and validation figures', () => {
  assert.equal(rocAuc([3, 4], [1, 2]), 1);
  assert.equal(rocAuc([1], [1]), 0.5);
  assert.equal(rocAuc([1, 3], [2]), 0.5);
  const truth = [
    {
      preElectrode: 'a',
      postElectrode: 'b',
      connected: true,
      synapseType: 'ex' as const,
      amplitude: 0.5e-3,
      latency: 0.0015,
    },
    {
      preElectrode: 'b',
      postElectrode: 'a',
      connected: true,
      synapseType: 'in' as const,
      amplitude: -0.3e-3,
      latency: 0.002,
    },
    { preElectrode: 'a', postElectrode: 'c', connected: false, synapseType: null, amplitude: null, latency: null },
  ];
  const report = validate(
    [
      { pre: 'a', post: 'b', detectionScore: 9, synapseType: 'ex', amplitude: 0.55e-3, latency: 0.0016 },
      { pre: 'b', post: 'a', detectionScore: 5, synapseType: 'ex', amplitude: -0.3e-3, latency: 0.0022 },
      { pre: 'a', post: 'c', detectionScore: 1, synapseType: 'ex', amplitude: 0, latency: 0.001 },
    ],
    truth,
  );
  assert.equal(report.auc, 1);
  assert.equal(report.synapseTypeAccuracy, 0.5);
  assert.ok(Math.abs(report.medianRelativeAmplitudeError - 0.05) < 1e-9);
  assert.ok(Math.abs(report.medianLatencyError - 0.00015) < 1e-9);
});
