import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SimulationOptions } from '../../src/sample-data/physiology/index.js';
import { scienceFigures } from '../helpers/science-figures.js';

const SEEDS = [11, 12, 13];
/** The shapes an independent check found biases on: sharp onsets, and a membrane still relaxing from the test pulse. */
const NEW_SHAPES: SimulationOptions = { riseShapes: 'mixed', testPulseGap: 0.01, membraneTau: [0.02, 0.04] };

test("today's sample data (smooth onsets, test pulse at 20 ms): the figures hold", () => {
  const f = scienceFigures(SEEDS);
  console.log(`today's shapes: ${JSON.stringify(f)}`);
  assert.ok(f.nConnected >= 15);
  assert.ok(f.auc >= 0.95, `AUC ${f.auc}`);
  assert.ok(f.synapseTypeAccuracy >= 0.95, `type accuracy ${f.synapseTypeAccuracy}`);
  assert.ok(f.medianRelativeAmplitudeError <= 0.1, `amplitude error ${f.medianRelativeAmplitudeError}`);
  assert.ok(f.medianLatencyError <= 0.2e-3, `latency error ${f.medianLatencyError}`);
  assert.equal(f.riseAtCap, 0, 'no fit of a connection ≥ 0.2 mV sits at the rise cap');
});

test('mixed sharp/smooth onsets after a late test pulse in slow cells (τ 20–40 ms): latency ≤ 0.2 ms, amplitude ≤ 10 %', () => {
  const f = scienceFigures(SEEDS, NEW_SHAPES);
  console.log(`new shapes: ${JSON.stringify(f)}`);
  assert.ok((f.latencyErrorByShape.sharp?.n ?? 0) >= 5 && (f.latencyErrorByShape.smooth?.n ?? 0) >= 5, 'both shapes');
  assert.ok(f.medianRelativeAmplitudeError <= 0.1, `amplitude error ${f.medianRelativeAmplitudeError}`);
  assert.ok(f.medianLatencyError <= 0.2e-3, `latency error ${f.medianLatencyError}`);
  assert.ok(
    f.latencyErrorByShape.sharp!.median <= 0.2e-3,
    `sharp-onset latency error ${f.latencyErrorByShape.sharp!.median}`,
  );
  // The relaxation made excitatory amplitudes too large and inhibitory ones too small (by ~0.5 mV here).
  assert.ok(
    Math.abs(f.amplitudeBias.ex) < 0.03e-3 && Math.abs(f.amplitudeBias.in) < 0.03e-3,
    JSON.stringify(f.amplitudeBias),
  );
  assert.equal(f.riseAtCap, 0, 'no fit of a connection ≥ 0.2 mV sits at the rise cap');
});
