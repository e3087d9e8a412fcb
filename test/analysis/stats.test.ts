import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  floatMode,
  floatModeOf,
  incompleteBeta,
  ksTwoSample,
  logGamma,
  median,
  pEvidence,
  studentTwoSidedP,
  welchTTest,
} from '../../src/analysis/stats.js';

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('logGamma and the incomplete beta match closed forms', () => {
  close(logGamma(5), Math.log(24), 1e-10, 'lnΓ(5)');
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-10, 'lnΓ(1/2)');
  close(incompleteBeta(1, 1, 0.3), 0.3, 1e-12, 'I(1,1)');
  close(incompleteBeta(2, 3, 0.4), 0.5248, 1e-10, 'I(2,3)'); // 1 − Σ binomial tail
});

test('Student t p-values match the df = 1 (Cauchy) and df = 2 closed forms', () => {
  for (const t of [0.3, 1, 2.5, 10]) {
    close(studentTwoSidedP(t, 1), 1 - (2 * Math.atan(t)) / Math.PI, 1e-9, `df1 t=${t}`);
    close(studentTwoSidedP(t, 2), 1 - t / Math.sqrt(2 + t * t), 1e-9, `df2 t=${t}`);
  }
});

test('Welch t statistic and Welch–Satterthwaite df by hand', () => {
  const a = [1, 2, 3, 4, 5];
  const b = [2, 4, 6, 8, 10];
  // means 3 and 6, variances 2.5 and 10 → se = √(0.5 + 2) ; df = 2.5² / (0.5²/4 + 2²/4)
  const r = welchTTest(a, b);
  close(r.statistic, -3 / Math.sqrt(2.5), 1e-12, 't');
  assert.ok(r.p > 0.05 && r.p < 0.2, `p ${r.p}`);
  assert.equal(welchTTest([1], [2, 3]).p, 1);
});

test('two-sample KS: exact D and sensible p', () => {
  const same = Array.from({ length: 50 }, (_, i) => i);
  const r0 = ksTwoSample(same, same);
  assert.equal(r0.statistic, 0);
  assert.equal(r0.p, 1);
  const shifted = ksTwoSample(
    same,
    same.map((x) => x + 10),
  );
  close(shifted.statistic, 0.2, 1e-12, 'D');
  const apart = ksTwoSample(
    same,
    same.map((x) => x + 100),
  );
  assert.equal(apart.statistic, 1);
  assert.ok(apart.p < 1e-10);
  assert.ok(pEvidence(apart.p) > pEvidence(shifted.p));
});

test('float mode finds the baseline under a PSP, median under outliers', () => {
  const x = new Float64Array(2000).map((_, i) => -0.07 + 1e-5 * Math.sin(i * 1.7) + (i > 1500 ? 0.002 : 0));
  close(floatMode(x), -0.07, 2e-5, 'mode');
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('floatModeOf several stretches is floatMode of their concatenation; median reuses its buffer safely', () => {
  // A noisy baseline with a PSP-like bump: every bin boundary the concatenation sees, the spans see.
  const x = Float64Array.from(
    { length: 3000 },
    (_, i) => -0.065 + 1e-4 * Math.sin(i * 1.7) + (i > 900 && i < 1100 ? 2e-3 : 0),
  );
  const spans = [
    { start: 0, stop: 400 },
    { start: 800, stop: 1200 },
    { start: 2600, stop: 3000 },
  ];
  const joined = Float64Array.from(spans.flatMap((w) => [...x.subarray(w.start, w.stop)]));
  assert.equal(floatModeOf(x, spans), floatMode(joined));
  assert.equal(floatModeOf(x, [{ start: 5, stop: 9 }]), floatMode(x, 5, 9), 'short: the median branch');
  assert.ok(Number.isNaN(floatModeOf(x, [])));
  // A long input grows the scratch buffer; shorter ones after it must not see its leftovers.
  assert.equal(median(Float64Array.from({ length: 5000 }, (_, i) => i)), 2499.5);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1]), 2.5);
  assert.equal(median([1, Number.NaN, 3]), 3, 'NaN sorts last, as before');
});
