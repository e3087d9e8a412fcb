import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitGaussianConnectivity, type ProbedPair } from '../../src/analysis/connectivity.js';
import { detectionPower, fitShiftDistribution, type FoundConnection } from '../../src/analysis/detection-power.js';
import { detectionStatistic } from '../../src/modules/connection_strength/pair-connectivity.js';
import { Prng } from '../../src/util/prng.js';

const THRESHOLD = 4;

/**
 * Pairs scored by the module's own statistic on synthetic samples: n responses and as many
 * background snippets with the pair's noise; a connection adds a log-normal mean shift A to each
 * response, varying ±80 % from response to response (release), as a template amplitude would.
 */
function synthetic(seed: string, n: number, mu = Math.log(0.15e-3), s = 1) {
  const prng = new Prng(seed);
  return Array.from({ length: n }, () => {
    const noise = Math.exp(prng.uniform(Math.log(0.05e-3), Math.log(0.3e-3)));
    const count = Math.round(prng.uniform(20, 80));
    const shift = Math.exp(mu + s * prng.normal());
    const bg = Array.from({ length: count }, () => noise * prng.normal());
    const fg = Array.from(
      { length: count },
      () => shift * Math.max(0, 1 + 0.8 * prng.normal()) + noise * prng.normal(),
    );
    const empty = Array.from({ length: count }, () => noise * prng.normal());
    return { shift, count, connected: detectionStatistic(fg, bg), unconnected: detectionStatistic(empty, bg) };
  });
}

const asFound = (p: ReturnType<typeof synthetic>[number]): FoundConnection => ({
  shift: p.connected.detectionShift,
  score: p.connected.detectionScore,
  se: p.connected.detectionSe,
  n: p.count,
});

describe('detection power', () => {
  it('is 1 with nothing to correct with, and falls as the pair gets noisier or has fewer responses', () => {
    const dist = { mu: Math.log(0.15e-3), s: 1, variability: 0.6, n: 50 };
    assert.equal(detectionPower(null, 1e-5, 40, THRESHOLD), 1);
    assert.equal(detectionPower(dist, null, 40, THRESHOLD), 1);
    const powers = [1e-6, 10e-6, 30e-6, 100e-6].map((se) => detectionPower(dist, se, 40, THRESHOLD));
    assert.ok(powers[0]! > 0.95, `quiet pair ${powers[0]}`);
    for (let i = 1; i < powers.length; i++) assert.ok(powers[i]! < powers[i - 1]!, `${powers}`);
    assert.ok(detectionPower(dist, 30e-6, 10, THRESHOLD) < powers[2]!, 'fewer responses, less power');
    // Release variability caps a strong synapse's score at √(n/c²): with 10 responses and c² = 4, below 4.
    assert.ok(detectionPower({ ...dist, variability: 4 }, 1e-6, 10, THRESHOLD) < 0.2);
  });

  it('recovers the shift distribution from the found connections alone and predicts the share found', () => {
    const pairs = synthetic('shift-fit', 3000);
    const found = pairs.filter((p) => p.connected.detectionScore >= THRESHOLD).map(asFound);
    const share = found.length / pairs.length;
    assert.ok(share > 0.4 && share < 0.85, `the sample is truncated (${share} found)`);
    const dist = fitShiftDistribution(found, THRESHOLD)!;
    assert.ok(Math.abs(dist.mu - Math.log(0.15e-3)) < 0.25, `mu ${dist.mu}`);
    assert.ok(Math.abs(dist.s - 1) < 0.2, `s ${dist.s}`);
    const predicted =
      pairs.reduce((sum, p) => sum + detectionPower(dist, p.unconnected.detectionSe, p.count, THRESHOLD), 0) /
      pairs.length;
    assert.ok(Math.abs(predicted - share) < 0.05, `predicted ${predicted} vs found ${share}`);
    // The naive estimate (the found shifts' own log-normal) is biased upward: that is the point.
    const naive = found.reduce((sum, f) => sum + Math.log(f.shift), 0) / found.length;
    assert.ok(naive > dist.mu + 0.3, `naive ${naive} vs fitted ${dist.mu}`);
    assert.equal(fitShiftDistribution(found.slice(0, 9), THRESHOLD), null, 'too few to fit');
  });

  it('corrects pmax of a distance fit for the connections detection missed', () => {
    const prng = new Prng('corrected-fit');
    const [pmax, sigma] = [0.4, 120];
    const pairs = synthetic('corrected-fit-noise', 3000);
    const found: FoundConnection[] = [];
    const probed = pairs.map((p) => {
      const distance = Math.hypot(prng.uniform(0, 200), prng.uniform(0, 200));
      const connected = prng.random() < pmax * Math.exp(-(distance ** 2) / (2 * sigma ** 2));
      const statistic = connected ? p.connected : p.unconnected;
      const hit = statistic.detectionScore >= THRESHOLD;
      if (hit)
        found.push({
          shift: statistic.detectionShift,
          score: statistic.detectionScore,
          se: statistic.detectionSe,
          n: p.count,
        });
      return { distance, connected: hit, se: statistic.detectionSe, n: p.count };
    });
    const dist = fitShiftDistribution(found, THRESHOLD)!;
    const corrected: ProbedPair[] = probed.map((p) => ({ ...p, power: detectionPower(dist, p.se, p.n, THRESHOLD) }));
    const fit = fitGaussianConnectivity(corrected)!;
    const uncorrected = fitGaussianConnectivity(probed.map(({ distance, connected }) => ({ distance, connected })))!;
    assert.ok(Math.abs(fit.pmax / pmax - 1) < 0.12, `corrected pmax ${fit.pmax}`);
    assert.ok(Math.abs(fit.sigma / sigma - 1) < 0.15, `corrected sigma ${fit.sigma}`);
    assert.ok(uncorrected.pmax < 0.8 * pmax, `uncorrected pmax ${uncorrected.pmax} is the detected share`);
  });
});
