import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeSite } from '../helpers/site-analysis.js';
import { validate, type PairPrediction, type PairTruthLike } from '../../src/analysis/validation.js';
import { openNwb } from '../../src/nwb/reader/index.js';
import { writeIcephysNwb, writeMiesNwb } from '../../src/nwb/writer/index.js';
import { simulateSite, toNwbInput } from '../../src/sample-data/physiology/index.js';
import { tempDir } from '../nwb/fixtures.js';

/**
 * The science, end to end: simulate 3 sites × 6 cells (seeds 11–13, 30 sweeps each), write
 * NWB (two sites in the pynwb layout, one in the MIES layout at 25 kHz), read back,
 * analyse every ordered pair and score against the ground truth.
 */
test('simulate → NWB → read → analyse recovers connectivity (AUC, type, amplitude, latency)', async () => {
  const dir = tempDir('science');
  const predictions: PairPrediction[] = [];
  const truth: PairTruthLike[] = [];
  for (const [i, seed] of [11, 12, 13].entries()) {
    const mies = i === 2;
    const site = simulateSite({ cells: 6, seed, sampleRate: mies ? 25000 : 20000 });
    const path = join(dir, `site-${seed}.nwb`);
    await (mies ? writeMiesNwb : writeIcephysNwb)(toNwbInput(site), path, { seed, compressionLevel: 1 });
    const file = await openNwb(path);
    const sweeps = file.sweeps.map((s) => ({
      sweepNumber: s.sweepNumber,
      channels: s.channels.map((c) => ({
        key: c.electrode,
        rate: c.sampleRate,
        command: c.command!.read(),
        response: c.response.read(),
      })),
    }));
    file.close();
    const result = analyzeSite(`site-${seed}`, sweeps);
    for (const p of result.pairs) {
      predictions.push({
        pre: `${seed}/${p.pre}`,
        post: `${seed}/${p.post}`,
        detectionScore: p.result?.detectionScore ?? 0,
        synapseType: p.result?.synapseType ?? null,
        amplitude: p.result?.fit?.amplitude ?? null,
        latency: p.result?.fit?.latency ?? null,
      });
    }
    for (const t of site.truth.pairs)
      truth.push({ ...t, preElectrode: `${seed}/${t.preElectrode}`, postElectrode: `${seed}/${t.postElectrode}` });
  }
  const report = validate(predictions, truth, 0.2e-3);
  console.log(`science figures: ${JSON.stringify(report)}`);
  assert.equal(report.nPairs, 90);
  assert.ok(report.nConnected >= 10, 'enough true connections to mean something');
  assert.ok(report.auc >= 0.95, `AUC ${report.auc}`);
  assert.ok(report.synapseTypeAccuracy >= 0.95, `type accuracy ${report.synapseTypeAccuracy}`);
  assert.ok(report.medianRelativeAmplitudeError <= 0.15, `amplitude error ${report.medianRelativeAmplitudeError}`);
  assert.ok(report.medianLatencyError <= 0.3e-3, `latency error ${report.medianLatencyError}`);
});
