import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { sleep } from '../../src/util/wait.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRootWithNwb } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');
const socket = `mpctl-test-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const noTmux = spawnSync('tmux', ['-V']).status !== 0 && 'tmux is not installed (scripts/test.js installs it via apt)';

/** Runs `script` in a detached tmux session of 80×30; returns the screen and its scrollback once `done` appears. */
async function onTerminal(name: string, script: string, done: RegExp, timeoutMs = 180_000): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-tty-')), 'run.sh');
  fs.writeFileSync(file, `${script}\nsleep 600\n`);
  const started = tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '30', `bash ${file}`);
  assert.equal(started.status, 0, started.stderr);
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(300)) {
    const screen = tmux('capture-pane', '-p', '-S', '-', '-t', name).stdout;
    if (done.test(screen)) return screen;
  }
  throw new Error(`${done} did not appear on the terminal:\n${tmux('capture-pane', '-p', '-t', name).stdout}`);
}

describe('under a real pseudo-terminal (tmux, 80×30)', { skip: noTmux }, () => {
  let p: TestPipeline;
  let env: string;
  before(async () => {
    const { root } = await sampleRootWithNwb({ slices: 1, sitesPerSlice: 3, cells: 3, sweepsPerCell: 2, seed: 91 });
    p = await startTestPipeline([root]);
    const servers = await testServers();
    const vars = {
      MPCTL_DATABASE_URL: p.db.url,
      TEMPORAL_ADDRESS: servers.temporalAddress,
      TEMPORAL_NAMESPACE: TEST_NAMESPACE,
      MPCTL_TASK_QUEUE: p.taskQueue,
      MPCTL_DATA_ROOTS: root,
      MPCTL_HOME: path.join(root, '.mpctl'),
    };
    env = Object.entries(vars)
      .map(([k, v]) => `export ${k}='${v}'`)
      .join('\n');
  });
  after(async () => {
    tmux('kill-server');
    await p?.close();
  });

  it('`update --wait` redraws its progress as one block: no stale rows', async () => {
    const screen = await onTerminal(
      'update',
      `${env}\n'${process.execPath}' '${bin}' update --wait; echo "MPCTL_EXIT=$?"`,
      /MPCTL_EXIT=\d+/,
    );
    assert.match(screen, /MPCTL_EXIT=0/, screen);
    const rows = screen.split('\n');
    assert.ok(
      rows.every((row) => row.length <= 80),
      screen,
    );
    // The bar is drawn many times (every 500 ms); on screen it must be there once, finished.
    const bars = rows.filter((row) => /^\[[#.]{24}\]/.test(row));
    assert.equal(bars.length, 1, `one progress bar on screen:\n${screen}`);
    assert.match(bars[0], /^\[#{24}\] (\d+)\/\1 jobs/);
    assert.equal(rows.filter((row) => /jobs\/s/.test(row)).length, 1, screen);
  });

  it('a mistyped command asks "Did you mean …?"', async () => {
    const screen = await onTerminal('typo', `'${process.execPath}' '${bin}' stauts`, /Did you mean/, 60_000);
    assert.match(screen, /Did you mean status\?/, screen);
  });
});
