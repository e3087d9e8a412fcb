import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openNwb } from '../../src/nwb/reader/index.js';
import { tempDir } from './fixtures.js';

/** A Python that can import pynwb: $MPCTL_PYTHON, the project venv, or python3 on PATH. */
function pythonWithPynwb(): string | undefined {
  const candidates = [process.env.MPCTL_PYTHON, join(homedir(), '.cache/mpctl/pyenv/bin/python'), 'python3'].filter(
    (p): p is string => Boolean(p),
  );
  for (const py of candidates) {
    if (py.includes('/') && !existsSync(py)) continue;
    if (spawnSync(py, ['-c', 'import pynwb'], { stdio: 'ignore' }).status === 0) return py;
  }
  return undefined;
}

const script = join(process.cwd(), 'scripts/fixtures/make_pynwb_fixture.py');

test('reads a file written by pynwb itself (icephys tables, uint64 sweep numbers, conversion)', (t) => {
  const py = pythonWithPynwb();
  if (!py) {
    t.skip('no Python with pynwb (create ~/.cache/mpctl/pyenv with `pip install pynwb`, or set MPCTL_PYTHON)');
    return;
  }
  const path = join(tempDir('pynwb'), 'pynwb.nwb');
  const run = spawnSync(py, [script, path], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return openNwb(path).then((f) => {
    try {
      assert.equal(f.layout, 'icephys-tables');
      assert.match(f.nwbVersion, /^2\./);
      assert.equal(f.identifier, 'mpctl-pynwb-fixture');
      assert.deepEqual(
        f.sweeps.map((s) => s.sweepNumber),
        [0, 1],
      );
      for (const sweep of f.sweeps) {
        assert.deepEqual(
          sweep.channels.map((c) => c.electrode),
          ['electrode_0', 'electrode_1', 'electrode_2'],
        );
        sweep.channels.forEach((c, i) => {
          assert.equal(c.sampleRate, 10000);
          assert.equal(c.startTime, sweep.sweepNumber * 5);
          assert.equal(c.stimulusDescription, `square_${i}`);
          assert.equal(c.clampMode, 'ic');
          assert.equal(c.length, 2000);
          const v = c.response.read(0, 1)[0]!;
          assert.ok(Math.abs(v - (-0.065 - i * 1e-3)) < 1e-7, `V ${v}`);
          assert.ok(Math.abs(c.command!.read(300, 301)[0]! / (-20e-12 * (i + 1)) - 1) < 1e-6);
        });
      }
    } finally {
      f.close();
    }
  });
});
