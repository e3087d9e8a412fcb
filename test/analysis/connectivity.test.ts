import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clopperPearson, fitGaussianConnectivity, type ProbedPair } from '../../src/analysis/connectivity.js';
import { Prng } from '../../src/util/prng.js';

describe('connection probability statistics', () => {
  it('Clopper–Pearson matches the exact interval of R binom.test / scipy binomtest', () => {
    const close = (got: [number, number], want: [number, number]) =>
      got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-7, `${got} vs ${want}`));
    close(clopperPearson(3, 10), [0.06673951117773447, 0.6524528500599973]);
    close(clopperPearson(0, 10), [0, 1 - 0.025 ** 0.1]);
    close(clopperPearson(10, 10), [0.025 ** 0.1, 1]);
    assert.deepEqual(clopperPearson(0, 0), [0, 1]);
  });

  it('the maximum-likelihood Gaussian fit recovers pmax and σ of synthetic pairs, its intervals covering them', () => {
    const prng = new Prng('gaussian-fit');
    const [pmax, sigma] = [0.4, 120];
    const pairs: ProbedPair[] = Array.from({ length: 4000 }, () => {
      const distance = Math.hypot(prng.uniform(0, 200), prng.uniform(0, 200));
      return { distance, connected: prng.random() < pmax * Math.exp(-(distance ** 2) / (2 * sigma ** 2)) };
    });
    const fit = fitGaussianConnectivity(pairs)!;
    assert.ok(Math.abs(fit.pmax / pmax - 1) < 0.1, `pmax ${fit.pmax}`);
    assert.ok(Math.abs(fit.sigma / sigma - 1) < 0.1, `sigma ${fit.sigma}`);
    assert.ok(fit.pmaxCi[0] <= pmax && pmax <= fit.pmaxCi[1], `pmax CI ${fit.pmaxCi}`);
    assert.ok(fit.sigmaCi[0] <= sigma && sigma <= fit.sigmaCi[1], `sigma CI ${fit.sigmaCi}`);
    assert.ok(fit.sigmaCi[1] - fit.sigmaCi[0] < 40, 'the interval is informative');
    assert.equal(fitGaussianConnectivity(pairs.map((p) => ({ ...p, connected: false }))), null);
  });

  it('interval coverage of the fit over repeated synthetic sets is near 95 %', () => {
    const prng = new Prng('gaussian-coverage');
    let covered = 0;
    const runs = 60;
    for (let r = 0; r < runs; r++) {
      const pairs: ProbedPair[] = Array.from({ length: 500 }, () => {
        const distance = Math.hypot(prng.uniform(0, 200), prng.uniform(0, 200));
        return { distance, connected: prng.random() < 0.3 * Math.exp(-(distance ** 2) / (2 * 100 ** 2)) };
      });
      const fit = fitGaussianConnectivity(pairs)!;
      if (fit.sigmaCi[0] <= 100 && 100 <= fit.sigmaCi[1] && fit.pmaxCi[0] <= 0.3 && 0.3 <= fit.pmaxCi[1]) covered++;
    }
    assert.ok(covered / runs >= 0.8, `both intervals cover in ${covered} of ${runs}`);
  });
});
