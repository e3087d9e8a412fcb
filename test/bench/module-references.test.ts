// The numpy/scipy references of the three costliest computations must agree with mpctl within
// the tolerances the benchmark states: the bench asserts them (assertAgree) before timing, so
// running it on a tiny site holds the claim in CI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchModuleReferences } from '../../bench/module-references.js';
import { referencePython } from '../../bench/support/python.js';

function pythonOrReason(): string | undefined {
  try {
    referencePython();
    return undefined;
  } catch (e) {
    return `the project's Python venv could not be made: ${(e as Error).message}`;
  }
}

const skip = pythonOrReason();
if (skip) console.error(`module-references test skipped: ${skip}`);

test(
  'the numpy/scipy references of fitPsp, analyzeSweep and measureResponse agree with mpctl',
  { skip, timeout: 300_000 },
  async () => {
    const { rows, details } = await benchModuleReferences(true, { cells: 2, rounds: 1 });
    for (const module of ['connection_strength', 'dataset', 'pulse_response']) {
      const worst = (details[module] as { worstOfTolerance: Record<string, number> }).worstOfTolerance;
      assert.ok(Object.keys(worst).length > 5, `${module}: compared ${Object.keys(worst).length} columns`);
      for (const [column, w] of Object.entries(worst)) assert.ok(w <= 1, `${module} ${column}: ${w}× its tolerance`);
    }
    assert.equal(rows.length, 6);
    for (const r of rows) assert.ok(Number.isFinite(r.ratio) && r.ratio! > 0, `${r.metric}: ratio ${r.ratio}`);
  },
);
