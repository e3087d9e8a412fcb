import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { backdate } from '../../src/sample-data/backdate.js';
import { sleep } from '../../src/util/wait.js';
import { mpctl } from '../helpers/cli.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRootWithNwb } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';

// The worker in this process plans with the environment's settle time (the harness sets 0).
const SETTLE_S = 3;
process.env.MPCTL_SETTLE_SECONDS = String(SETTLE_S);

/** Polls until `check` returns a value, at most `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

describe('schedules on the real stack, while sites are still being copied', () => {
  let p: TestPipeline;
  let root: string;
  let staging: string;
  let sites: string[];
  const id = `test-${crypto.randomBytes(3).toString('hex')}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-home-'));
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => mpctl(home, args, env, 60_000);
  const jobs = () =>
    query<{ module: string; job_id: string; status: string; update_id: string; finished_at: string | null }>(
      p.db.orm.em.fork(),
      sql`SELECT module, job_id, status, update_id, finished_at FROM pipeline_job ORDER BY module, job_id`,
    );
  const finished = async (site: string) =>
    (await jobs()).find((j) => j.module === 'connection_strength' && j.job_id === site && j.status === 'succeeded');

  before(async () => {
    const data = await sampleRootWithNwb({ slices: 1, sitesPerSlice: 3, cells: 3, seed: 13, sweepsPerCell: 2 });
    root = data.root;
    sites = data.experiments;
    // Sites 2 and 3 arrive later: keep them aside, as the rig's disk would.
    staging = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-rig-'));
    for (const site of sites.slice(1)) fs.renameSync(path.join(root, site), path.join(staging, path.basename(site)));
    backdate(root, 3_600_000);
    p = await startTestPipeline([root]);
    const servers = await testServers();
    env = {
      TEMPORAL_ADDRESS: servers.temporalAddress,
      TEMPORAL_NAMESPACE: TEST_NAMESPACE,
      MPCTL_TASK_QUEUE: p.taskQueue,
      MPCTL_DATABASE_URL: p.db.url,
      MPCTL_DATA_ROOTS: root,
    };
  });
  after(async () => {
    await cli('schedule', 'delete', id);
    await p?.close();
  });

  it('schedule create, list, describe: JSON shapes and exit codes', async () => {
    const created = await cli('schedule', 'create', '--id', id, '--every', '5s', '--json');
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.json().created, true);
    assert.equal((await cli('schedule', 'create', '--id', id, '--every', '5s')).code, 1, 'exists: exit 1');
    const again = await cli('schedule', 'create', '--id', id, '--every', '1m', '--if-absent', '--json');
    assert.equal(again.code, 0);
    assert.equal(again.json().created, false);
    assert.equal(
      (await cli('schedule', 'create', '--id', `${id}-x`, '--every', 'soon')).code,
      2,
      'bad duration: exit 2',
    );
    assert.equal((await cli('schedule', 'create', '--id', `${id}-x`)).code, 2, 'no --every or --cron: exit 2');
    assert.equal((await cli('schedule', 'describe', `${id}-missing`)).code, 1, 'missing: exit 1');
    const list = await until('the schedule in the list', async () => {
      const out = (await cli('schedule', 'list', '--json')).json();
      return out.schedules.some((s: { id: string }) => s.id === id) ? out : undefined;
    });
    assert.deepEqual(Object.keys(list), ['schedules']);
    const mine = list.schedules.find((s: { id: string }) => s.id === id);
    assert.deepEqual(Object.keys(mine), ['id', 'spec', 'paused', 'nextRunAt', 'lastRun']);
    assert.equal(mine.spec, 'every 5s');
    assert.equal(mine.paused, false);
    assert.ok(Date.parse(mine.nextRunAt) > Date.now() - 1000);
  });

  it('(a, b) a site copied slowly waits, is processed exactly once after it settles, and one arriving during an update is picked up by the next', async () => {
    await until('the first site processed by the schedule', () => finished(sites[0]!));
    const [slow, during] = [sites[1]!, sites[2]!];
    const from = path.join(staging, path.basename(slow));
    const to = path.join(root, slow);
    fs.mkdirSync(to);
    fs.copyFileSync(path.join(from, 'site.yml'), path.join(to, 'site.yml'));
    // The NWB in ten chunks over about ten seconds, then pipettes.yml: the submission.
    const nwb = fs.readFileSync(path.join(from, 'recording.nwb'));
    const chunk = Math.ceil(nwb.length / 10);
    for (let k = 0; k < 10; k++) {
      fs.appendFileSync(path.join(to, 'recording.nwb'), nwb.subarray(k * chunk, (k + 1) * chunk));
      await sleep(1000);
    }
    fs.copyFileSync(path.join(from, 'pipettes.yml'), path.join(to, 'pipettes.yml'));
    const lastWrite = Date.now();
    // While the slow site's update runs, the third site arrives whole.
    const running = await until('the slow site running', async () =>
      (await jobs()).find((j) => j.job_id === slow && j.status === 'running'),
    );
    fs.cpSync(path.join(staging, path.basename(during)), path.join(root, during), { recursive: true });
    const done = await until('the slow site processed', () => finished(slow), 120_000);
    const latencyS = (Date.parse(done.finished_at!) - lastWrite) / 1000;
    console.log(
      `last write → connection_strength: ${latencyS.toFixed(1)} s (settle ${SETTLE_S} s, schedule every 5 s)`,
    );
    const third = await until('the site that arrived during an update', () => finished(during), 120_000);
    assert.notEqual(third.update_id, running.update_id, 'the update running when it arrived had planned already');

    const all = await jobs();
    assert.deepEqual(
      all.filter((j) => j.status !== 'succeeded').map((j) => [j.module, j.job_id, j.status]),
      [],
      'no job failed',
    );
    const plannedIn = await query<{ n: string }>(
      p.db.orm.em.fork(),
      sql`SELECT count(DISTINCT update_id) AS n FROM pipeline_plan WHERE kind = 'experiment' AND key = ${slow}`,
    );
    assert.equal(Number(plannedIn[0]!.n), 1, 'the slow site was planned by exactly one update');
    assert.ok(latencyS < SETTLE_S + 5 + 60, `latency ${latencyS} s`);
  });

  it('(c) a paused schedule starts nothing; resumed, it carries on', async () => {
    const paused = await cli('schedule', 'pause', id, '--json');
    assert.equal(paused.code, 0, paused.stderr);
    assert.equal(paused.json().paused, true);
    const before = (await cli('schedule', 'describe', id, '--json')).json();
    await sleep(11_000);
    const later = (await cli('schedule', 'describe', id, '--json')).json();
    assert.equal(later.runs, before.runs, 'no run started while paused');
    assert.equal(later.nextRunAt, null);
    const resumed = await cli('schedule', 'resume', id, '--json');
    assert.equal(resumed.code, 0);
    assert.equal(resumed.json().paused, false);
    await until(
      'a run after resuming',
      async () => ((await cli('schedule', 'describe', id, '--json')).json().runs > later.runs ? true : undefined),
      20_000,
    );
    const trigger = await cli('schedule', 'trigger', id, '--json');
    assert.equal(trigger.code, 0, trigger.stderr);
  });
});
