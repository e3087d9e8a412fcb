import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSweep } from '../../src/analysis/analyze-sweep.js';
import { validate, type PairPrediction, type PairTruthLike } from '../../src/analysis/validation.js';
import { vcRecordingQc } from '../../src/analysis/voltage-clamp.js';
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

test('a VC recording gets VC QC: holding potential and current, access from the test pulse, no stimulus pulses', () => {
  const site = simulateSite({ cells: 4, seed: 9, voltageClampSweeps: 4 });
  const [sweep] = vcSweeps(site, true);
  const result = analyzeSweep('e', sweep!);
  const driven = site.sweeps.find((s) => s.sweepNumber === sweep!.sweepNumber)!.preCell;
  assert.deepEqual(
    [...new Set(result.stimPulses.map((p) => p.key))],
    [`electrode_${driven}`],
    'only the current-clamp channel is a presynaptic drive',
  );
  for (const r of result.recordings) {
    const cell = Number(r.key.split('_')[1]);
    if (cell === driven) {
      assert.equal(r.voltageClamp, undefined);
      continue;
    }
    const truth = site.truth.voltageClamp!.cells[cell]!;
    assert.ok(r.qcPass, `${r.key}: ${r.qcReasons.join(', ')}`);
    assert.ok(Math.abs(r.baselinePotential + 0.07) < 1e-6, 'baseline potential is the holding command');
    const vc = r.voltageClamp!;
    assert.ok(Math.abs(vc.baselineCurrent - truth.holdingCurrent) < 3 * truth.noiseSd, `holding ${vc.baselineCurrent}`);
    assert.ok(r.noiseSd < 3 * truth.noiseSd && r.noiseSd > 0.3 * truth.noiseSd, `noise ${r.noiseSd} A`);
    const ra = vc.testPulse!.accessResistance;
    assert.ok(
      Math.abs(ra - truth.accessResistance) < 0.2 * truth.accessResistance,
      `access ${ra} vs ${truth.accessResistance}`,
    );
  }
  // Every window onto a clamped cell is judged in pA, not mV: its QC passes where current-clamp QC could not.
  const onVc = result.responses.filter((r) => r.post !== `electrode_${driven}`);
  assert.ok(onVc.length > 0 && onVc.every((r) => r.qc.exPass), onVc.map((r) => r.qc.reasons).join('; '));
});

test('VC recording QC fails on the VC limits', () => {
  const quiet = [{ start: 0, stop: 400 }];
  const big = new Float64Array(1000).fill(-900e-12);
  assert.match(vcRecordingQc(big, new Float64Array(1000).fill(-0.07), quiet, null).reasons.join(), /holding current/);
  const leaky = vcRecordingQc(new Float64Array(1000).fill(-10e-12), new Float64Array(1000).fill(-0.07), quiet, {
    accessResistance: 60e6,
    inputResistance: 150e6,
  });
  assert.match(leaky.reasons.join(), /access resistance/);
  assert.equal(leaky.pass, false);
});
