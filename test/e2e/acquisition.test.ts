import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sleep } from '../../src/util/wait.js';
import { mpctl } from '../helpers/cli.js';
import { testServers } from '../helpers/servers.js';

/** Polls until `check` returns a value, at most `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(1000);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Issue 13's "done when", as a new user runs it: the embedded stack with a schedule, a site arriving late. */
describe('acquiring: a hidden site waits, arrives slowly, and is processed by the schedule, across a restart', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-acq-'));
  fs.chmodSync(cwd, 0o755);
  const env: NodeJS.ProcessEnv = { MPCTL_SETTLE_SECONDS: '3' };
  const cli = (...args: string[]) => mpctl(cwd, args, env, 300_000);
  let site: string;
  let siteDir: string;

  before(async () => {
    const servers = await testServers();
    if (servers.temporalCliPath) env.TEMPORAL_CLI_PATH = servers.temporalCliPath;
  });
  after(async () => {
    await cli('down');
  });

  it('the other sites complete; the hidden one is waiting (incomplete), not failed', async () => {
    const sample = await cli(
      'sample-data',
      '--out',
      'data',
      '--slices',
      '1',
      '--sites-per-slice',
      '3',
      '--cells',
      '3',
      '--sweeps',
      '2',
      '--json',
    );
    assert.equal(sample.code, 0, sample.stderr);
    site = sample.json().experiments[0];
    siteDir = path.join(cwd, 'data', site);
    fs.renameSync(path.join(siteDir, 'pipettes.yml'), path.join(cwd, 'pipettes.yml'));
    const up = await cli('up', '--detach', '--schedule', '5s');
    assert.equal(up.code, 0, up.stderr + up.stdout);
    assert.match(up.stdout, /schedule mpctl-update created/);
    await until(
      'the two complete sites through connection_strength',
      async () => {
        const status = (await cli('status', '--json')).json();
        const cs = status.modules.find((m: { module: string }) => m.module === 'connection_strength');
        return cs.succeeded === 2 ? status : undefined;
      },
      180_000,
    );
    const plan = (await cli('update', '--dry-run', '--json')).json();
    assert.deepEqual(plan.waiting, [
      { jobId: site, reason: 'incomplete', detail: 'no pipettes.yml yet (written at submission)' },
    ]);
    const status = (await cli('status', '--json')).json();
    assert.deepEqual(status.waiting, { incomplete: 1, settling: 0 });
    const show = await cli('show', 'experiment', site);
    assert.match(show.stdout, /waiting: incomplete · no pipettes\.yml yet/);
  });

  it('written again slowly, then submitted: within a minute every module of it succeeded, nothing failed', async () => {
    const nwb = path.join(siteDir, 'recording.nwb');
    const bytes = fs.readFileSync(nwb);
    fs.rmSync(nwb);
    const chunk = Math.ceil(bytes.length / 8);
    for (let k = 0; k < 8; k++) {
      fs.appendFileSync(nwb, bytes.subarray(k * chunk, (k + 1) * chunk));
      await sleep(1000);
    }
    fs.renameSync(path.join(cwd, 'pipettes.yml'), path.join(siteDir, 'pipettes.yml'));
    const submitted = Date.now();
    const view = await until(
      'every module of the site succeeded',
      async () => {
        const v = (await cli('show', 'experiment', site, '--json')).json();
        return v.modules.every((m: { status: string }) => m.status === 'succeeded') ? v : undefined;
      },
      60_000,
    );
    console.log(
      `submitted → every module succeeded: ${((Date.now() - submitted) / 1000).toFixed(1)} s (settle 3 s, schedule every 5 s)`,
    );
    assert.equal(view.waiting, null);
    const failures = (await cli('failures', '--json')).json();
    assert.deepEqual(failures.failures ?? failures, []);
    const list = (await cli('schedule', 'list', '--json')).json();
    assert.deepEqual(
      list.schedules.map((s: { id: string; spec: string }) => [s.id, s.spec]),
      [['mpctl-update', 'every 5s']],
    );
  });

  it('the schedule carries on across a stop and start of the stack (Temporal server included)', async () => {
    const before = (await cli('schedule', 'describe', '--json')).json().runs as number;
    assert.equal((await cli('down')).code, 0);
    await sleep(6000);
    const up = await cli('up', '--detach', '--schedule', '5s');
    assert.equal(up.code, 0, up.stderr + up.stdout);
    assert.match(up.stdout, /schedule mpctl-update exists; left as it is/);
    await until(
      'a run after the restart',
      async () => ((await cli('schedule', 'describe', '--json')).json().runs > before ? true : undefined),
      60_000,
    );
  });
});
