import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { simulateSite } from '../../src/sample-data/physiology/index.js';
import type { SimulatedSite } from '../../src/sample-data/physiology/types.js';

function digest(site: SimulatedSite): string {
  const h = createHash('sha256');
  for (const s of site.sweeps)
    for (const c of s.channels) {
      h.update(new Uint8Array(c.command.buffer));
      h.update(new Uint8Array(c.response.buffer));
    }
  h.update(JSON.stringify(site.truth));
  return h.digest('hex');
}

const small = { cells: 4, sweeps: 4, sweepDuration: 0.8 };

test('same seed and options give byte-identical traces and truth; another seed differs', () => {
  assert.equal(digest(simulateSite({ ...small, seed: 3 })), digest(simulateSite({ ...small, seed: 3 })));
  assert.notEqual(digest(simulateSite({ ...small, seed: 3 })), digest(simulateSite({ ...small, seed: 4 })));
});

test('physiology is in range: rest, noise, one AP per drive pulse, test pulse on every channel', () => {
  const site = simulateSite({ ...small, seed: 5 });
  for (const cell of site.cells) {
    assert.ok(cell.restingPotential >= -0.075 && cell.restingPotential <= -0.06);
    assert.ok(cell.noiseSd >= 0.1e-3 && cell.noiseSd <= 0.3e-3);
    assert.ok(cell.stimAmplitude >= 1.5e-9 && cell.stimAmplitude <= 2e-9);
  }
  for (const sweep of site.sweeps) {
    assert.equal(sweep.spikeTimes.length, 12);
    assert.ok(
      sweep.spikeTimes.every((t) => Number.isFinite(t)),
      'every pulse fires',
    );
    const pre = sweep.channels[sweep.preCell]!;
    let peak = -Infinity;
    for (const v of pre.response) peak = Math.max(peak, v);
    assert.ok(peak > 0.02 && peak < 0.045, `AP peak ${peak}`);
    for (const ch of sweep.channels) {
      assert.equal(ch.response.length, 0.8 * 20000);
      assert.ok(Math.abs(ch.command[500]! - -20e-12) < 1e-15, 'test pulse');
    }
  }
});

test('the truth lists every ordered pair; connections carry sign, amplitude and kinetics in range', () => {
  const site = simulateSite({ cells: 6, sweeps: 6, sweepDuration: 0.8, seed: 8, connectionProbability: 0.5 });
  assert.equal(site.truth.pairs.length, 30);
  const connected = site.truth.pairs.filter((p) => p.connected);
  assert.ok(connected.length > 5);
  for (const p of connected) {
    assert.ok(p.synapseType === 'ex' || p.synapseType === 'in');
    assert.equal(Math.sign(p.expectedAmplitude!), p.synapseType === 'ex' ? 1 : -1);
    assert.ok(Math.abs(p.expectedAmplitude!) >= 0.1e-3 && Math.abs(p.expectedAmplitude!) <= 2e-3);
    assert.ok(p.latency! >= 1e-3 && p.latency! <= 2.5e-3);
    assert.ok(p.riseTime! >= 1e-3 && p.riseTime! <= 3e-3);
    assert.ok(p.decayTau! >= 10e-3 && p.decayTau! <= 40e-3);
  }
  for (const p of site.truth.pairs.filter((q) => !q.connected)) assert.equal(p.amplitude, null);
});

test('options are validated', () => {
  assert.throws(() => simulateSite({ cells: 1 }), RangeError);
  assert.throws(() => simulateSite({ connectionProbability: 2 }), RangeError);
  assert.throws(() => simulateSite({ sampleRate: 1000 }), RangeError);
});

test("the defaults still draw today's sample data, byte for byte (the published figures stay reproducible)", () => {
  const site = simulateSite({ cells: 6, seed: 11 });
  const h = createHash('sha256');
  for (const s of site.sweeps)
    for (const c of s.channels) {
      h.update(new Uint8Array(c.command.buffer));
      h.update(new Uint8Array(c.response.buffer));
    }
  h.update(JSON.stringify(site.truth.pairs.map((p) => [p.amplitude, p.latency, p.riseTime, p.decayTau])));
  h.update(JSON.stringify(site.cells));
  // Digest of the simulator before the rise-shape, test-pulse-gap and membrane-τ options existed.
  assert.equal(h.digest('hex'), 'c2ae3ba805229ef7734876b8bff0448aad1b08b59d02f95b02fd1c2d72db6579');
  assert.ok(site.truth.pairs.filter((p) => p.connected).every((p) => p.riseShape === 'smooth'));
});

test('rise shapes, a late test pulse and a membrane τ range are drawn as asked and recorded in the truth', () => {
  const opts = { cells: 6, sweeps: 6, sweepDuration: 0.8, seed: 8, connectionProbability: 0.5 };
  const mixed = simulateSite({ ...opts, riseShapes: 'mixed', testPulseGap: 0.01, membraneTau: [0.02, 0.04] });
  const shapes = mixed.truth.pairs.filter((p) => p.connected).map((p) => p.riseShape);
  assert.ok(shapes.includes('sharp') && shapes.includes('smooth'), shapes.join());
  assert.ok(
    simulateSite({ ...opts, riseShapes: 'sharp' }).truth.pairs.every((p) => !p.connected || p.riseShape === 'sharp'),
  );
  assert.ok(Math.abs(mixed.truth.testPulse.start - 0.25) < 1e-12 && Math.abs(mixed.truth.testPulse.end - 0.29) < 1e-12);
  for (const c of mixed.cells)
    assert.ok(c.membraneTau >= 0.02 - 1e-12 && c.membraneTau <= 0.04 + 1e-12, `τ ${c.membraneTau}`);
  const ch = mixed.sweeps[0]!.channels[1]!;
  assert.ok(Math.abs(ch.command[Math.round(0.27 * 20000)]! - -20e-12) < 1e-15, 'test pulse at 250–290 ms');
  assert.equal(ch.command[Math.round(0.295 * 20000)], 0);
  for (const sweep of mixed.sweeps)
    assert.ok(sweep.spikeTimes.every(Number.isFinite), 'slow presynaptic cells still fire');
  // The same seed with a shape option keeps the connections themselves.
  const plain = simulateSite(opts);
  assert.deepEqual(
    plain.truth.pairs.map((p) => [p.connected, p.latency]),
    simulateSite({ ...opts, riseShapes: 'mixed' }).truth.pairs.map((p) => [p.connected, p.latency]),
  );
  assert.throws(() => simulateSite({ testPulseGap: 0.5 }), RangeError);
  assert.throws(() => simulateSite({ membraneTau: [0.04, 0.02] }), RangeError);
});
