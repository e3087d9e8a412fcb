import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate, type PairPrediction, type PairTruthLike } from '../../src/analysis/validation.js';
import { analyzePair } from '../../src/modules/connection_strength/pair-connectivity.js';
import { simulateSite, type SimulatedSite } from '../../src/sample-data/physiology/index.js';
import { siteResponses, type SiteSweepInput } from '../helpers/site-analysis.js';

// Voltage clamp end to end in memory: simulated VC sweeps → analyzeSweep → analyzePair as currents → PSC truth.
const vcSweeps = (site: SimulatedSite, clamped: boolean): SiteSweepInput[] =>
  site.sweeps
    .filter((s) => s.channels.some((c) => c.clampMode === 'vc') === clamped)
    .map((s) => ({
      sweepNumber: s.sweepNumber,
      channels: s.channels.map((c) => ({
        key: c.electrode,
        rate: site.options.sampleRate,
        command: c.command,
        response: c.response,
        clampMode: c.clampMode ?? 'ic',
      })),
    }));

function vcFigures(seeds: number[]) {
  const predictions: PairPrediction[] = [];
  const truth: PairTruthLike[] = [];
  for (const seed of seeds) {
    const site = simulateSite({ cells: 6, seed, voltageClampSweeps: 30 });
    const { perPair, rate } = siteResponses(`s${seed}`, vcSweeps(site, true));
    for (const pair of site.truth.pairs) {
      const pre = `${seed}/${pair.preElectrode}`;
      const post = `${seed}/${pair.postElectrode}`;
      const r = analyzePair(perPair.get(`${pair.preElectrode}\u0000${pair.postElectrode}`) ?? [], rate, {
        clampMode: 'vc',
      });
      predictions.push({
        pre,
        post,
        detectionScore: r?.detectionScore ?? -Infinity,
        synapseType: r?.synapseType ?? null,
        amplitude: r?.fit?.amplitude ?? null,
        latency: r?.fit?.latency ?? null,
      });
      truth.push({
        preElectrode: pre,
        postElectrode: post,
        connected: pair.connected,
        synapseType: pair.synapseType,
        amplitude: pair.psc?.amplitude ?? null,
        latency: pair.psc?.latency ?? null,
        selectionAmplitude: pair.amplitude,
      });
    }
  }
  return validate(predictions, truth, 0.2e-3);
}

test('voltage-clamp sweeps: currents in A, commands in V at −70 mV, PSC truth, CC sweeps unchanged', () => {
  const plain = simulateSite({ cells: 4, seed: 3 });
  const vc = simulateSite({ cells: 4, seed: 3, voltageClampSweeps: 8 });
  assert.equal(vc.sweeps.length, plain.sweeps.length + 8);
  plain.sweeps.forEach((s, i) =>
    s.channels.forEach((c, j) => assert.deepEqual(vc.sweeps[i]!.channels[j]!.response, c.response)),
  );
  const sweep = vc.sweeps.at(-1)!;
  const held = sweep.channels.filter((c) => c.clampMode === 'vc');
  assert.equal(held.length, 3, 'every cell but the driven one is clamped');
  for (const c of held) {
    assert.ok(Math.abs(c.command[0]! + 0.07) < 1e-9, 'held at −70 mV');
    assert.ok(Math.abs(c.response[100]!) < 200e-12, `current ${c.response[100]} A`);
  }
  const connected = vc.truth.pairs.filter((p) => p.connected);
  for (const p of connected) assert.equal(Math.sign(p.psc!.expectedAmplitude), p.synapseType === 'ex' ? -1 : 1);
});

test('analysed as voltage clamp, the PSC figures meet the current-clamp targets', () => {
  const v = vcFigures([101, 102, 103, 104, 105, 106]);
  console.log(`# voltage clamp (6 sites in memory): ${JSON.stringify(v)}`);
  assert.ok(v.nConnected >= 20, `connections ${v.nConnected}`);
  assert.ok(v.auc >= 0.95, `ROC AUC ${v.auc}`);
  assert.ok(v.synapseTypeAccuracy >= 0.95, `type accuracy ${v.synapseTypeAccuracy}`);
  assert.ok(v.medianRelativeAmplitudeError <= 0.15, `amplitude error ${v.medianRelativeAmplitudeError}`);
  assert.ok(v.medianLatencyError <= 0.3e-3, `latency error ${v.medianLatencyError}`);
});
