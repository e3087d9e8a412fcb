import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { incompleteBeta, ksTwoSample, pEvidence, studentTwoSidedP, welchTTest } from '../../src/analysis/stats.js';

interface Fixture {
  scipy: string;
  cases: {
    kind: string;
    a: number[];
    b: number[];
    ks: { statistic: number; p: number };
    welch: { statistic: number; p: number; df: number };
  }[];
  welchConstant: { statistic: string; p: number };
  student: { t: number; df: number; p: number }[];
  incompleteBeta: { a: number; b: number; x: number; value: number }[];
}

// Written once by scripts/fixtures/make_scipy_stats_fixture.py with scipy 1.17.
const fixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/scipy-stats.json', import.meta.url), 'utf8'),
) as Fixture;

/** |a − b| ≤ abs + rel·|b|. */
const close = (a: number, b: number, abs: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= abs + rel * Math.abs(b), `${what}: ${a} vs scipy ${b}`);

test('the fixture is scipy 1.17 on sizes 5–500 with ties and variance ratios 0.001–100', () => {
  assert.match(fixture.scipy, /^1\.17\./);
  assert.ok(fixture.cases.length >= 84);
  const sizes = fixture.cases.flatMap((c) => [c.a.length, c.b.length]);
  assert.equal(Math.min(...sizes), 5);
  assert.equal(Math.max(...sizes), 500);
  assert.ok(fixture.cases.some((c) => c.kind === 'ties'));
});

test("two-sample KS: D and scipy's default (method='auto') p on every case", () => {
  let worst = 0;
  for (const [i, c] of fixture.cases.entries()) {
    const r = ksTwoSample(c.a, c.b);
    close(r.statistic, c.ks.statistic, 1e-12, 0, `case ${i} (${c.kind} ${c.a.length}/${c.b.length}) D`);
    close(r.p, c.ks.p, 1e-14, 1e-10, `case ${i} (${c.kind} ${c.a.length}/${c.b.length}) p`);
    worst = Math.max(worst, Math.abs(r.p - c.ks.p));
  }
  console.log(`KS p: largest |mpctl − scipy| over ${fixture.cases.length} cases ${worst.toExponential(2)}`);
});

test('the audit case: n = 10 and 10 gives the exact p (0.052), not the asymptotic 0.031', () => {
  const c = fixture.cases.find((k) => k.kind === 'audit-10-10')!;
  const r = ksTwoSample(c.a, c.b);
  assert.ok(Math.abs(r.p - 0.0524) < 1e-3, `p ${r.p}`);
});

test('Welch t, p and Student t p-values match scipy', () => {
  for (const [i, c] of fixture.cases.entries()) {
    const r = welchTTest(c.a, c.b);
    close(r.statistic, c.welch.statistic, 1e-12, 1e-10, `case ${i} t`);
    close(r.p, c.welch.p, 1e-14, 1e-9, `case ${i} p`);
  }
  for (const s of fixture.student) close(studentTwoSidedP(s.t, s.df), s.p, 1e-15, 1e-9, `t ${s.t} df ${s.df}`);
  for (const s of fixture.incompleteBeta)
    close(incompleteBeta(s.a, s.b, s.x), s.value, 1e-15, 1e-10, `I_${s.x}(${s.a}, ${s.b})`);
});

test('Welch on two constant samples: different values give t = ±∞ and p = 0 (scipy), equal ones p = 1', () => {
  const r = welchTTest([1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2, 2, 2]);
  assert.equal(r.statistic, Number(fixture.welchConstant.statistic));
  assert.equal(r.p, fixture.welchConstant.p);
  assert.equal(welchTTest([3, 3, 3], [3, 3]).p, 1);
});

test('KS refuses NaN with an error naming the sample and the index', () => {
  assert.throws(() => ksTwoSample([1, 2, Number.NaN, 4], [1, 2, 3]), /first sample has NaN at index 2/);
  assert.throws(() => ksTwoSample([1, 2, 3], [Number.NaN]), /second sample has NaN at index 0/);
});

test('the evidence cap of 7 binds where p underflows to 0, and evidence grows as p falls', () => {
  assert.equal(pEvidence(0), 7);
  assert.ok(pEvidence(Number.MIN_VALUE) < 7 && pEvidence(Number.MIN_VALUE) > 6.6);
  assert.equal(pEvidence(1), 0);
  assert.ok(pEvidence(1e-10) > pEvidence(1e-3));
});
