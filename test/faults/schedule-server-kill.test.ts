// Issue 13 (c): a schedule is Temporal's, so it must outlive the server's own death. The
// graceful `mpctl down`/`up` case is in test/e2e/acquisition.test.ts; here the dev server is
// killed with SIGKILL (nothing flushed) and started again on the same state file, and the
// schedule must still be listed and go on starting updates that complete.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import type { Orm } from '../../src/db/orm.js';
import { sleep } from '../../src/util/wait.js';
import { mpctl } from '../helpers/cli.js';
import { sampleRootWithNwb } from '../helpers/sample.js';
import { FaultStack, type WorkerProcess } from './fault-stack.js';

const SCHEDULE_ID = 'kill-test';
const TASK_QUEUE = 'schedule-kill';
const SERVER_DOWN_MS = 15_000;

/** Polls `check` until it gives a value; on timeout the error carries `state()`, what was seen last. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  state: () => unknown = () => undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(500);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(state())}`);
}

describe('a schedule across a Temporal server SIGKILL and restart', () => {
  let stack: FaultStack;
  let worker: WorkerProcess | undefined;
  let orm: Orm;
  let env: NodeJS.ProcessEnv;
  let experiments: string[];
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-schedule-kill-'));
  const cli = (...args: string[]) => mpctl(home, args, env, 60_000);
  const describeSchedule = async () => {
    const r = await cli('schedule', 'describe', SCHEDULE_ID, '--json');
    return r.code === 0 ? (r.json() as { runs: number; paused: boolean }) : undefined;
  };

  before(async () => {
    let root: string;
    ({ root, experiments } = await sampleRootWithNwb({
      slices: 1,
      sitesPerSlice: 1,
      cells: 2,
      sweepsPerCell: 2,
      seed: 83,
    }));
    stack = await FaultStack.start();
    const db = await stack.newDatabase();
    orm = db.orm;
    env = { ...stack.cliEnv(db.url, TASK_QUEUE, [root]), MPCTL_HOME: path.join(home, '.mpctl') };
    worker = stack.startWorker(db.url, TASK_QUEUE, [root], 'schedule-kill');
  });
  after(async () => {
    await worker?.stop('SIGTERM');
    await orm?.close();
    await stack?.stop();
  });

  it('is still listed after the kill and its next runs start and complete', async () => {
    const created = await cli('schedule', 'create', '--id', SCHEDULE_ID, '--every', '3s', '--json');
    assert.equal(created.code, 0, created.stderr);
    await until('a first scheduled run', async () => ((await describeSchedule())?.runs ?? 0) >= 1 || undefined, 60_000);

    // Down for longer than the SDK retries reporting an activity's completion (a few seconds), so
    // the running update's in-flight completion is lost and only its heartbeat timeout retries it.
    stack.killTemporal();
    await sleep(SERVER_DOWN_MS);
    const killedAt = Date.now();
    await stack.startTemporal();
    const before = (await describeSchedule())!;
    assert.ok(before, 'the schedule is described after the restart');
    assert.equal(before.paused, false);

    const listed = await cli('schedule', 'list', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      (listed.json() as { schedules: { id: string }[] }).schedules.map((s) => s.id),
      [SCHEDULE_ID],
    );

    // New actions after the restart, and one of the updates they start completes.
    let seen: unknown;
    await until(
      'two runs after the restart',
      async () => {
        const now = (seen = await describeSchedule())!;
        return now.runs >= before.runs + 2 || undefined;
      },
      60_000,
      () => ({ before, now: seen }),
    );
    const completedAfterRestart = await until(
      'a scheduled update started after the restart to complete',
      async () => {
        for await (const wf of stack.client.workflow.list({ query: `WorkflowType = 'pipelineUpdate'` }))
          if (wf.status.name === 'COMPLETED' && wf.startTime.getTime() > killedAt) return wf.workflowId;
        return undefined;
      },
      90_000,
    );
    assert.match(completedAfterRestart, new RegExp(SCHEDULE_ID));

    // The experiment was processed once, and nothing failed across the kill.
    const jobs = await query<{ status: string; n: number }>(
      orm.em.fork(),
      sql`SELECT status, count(*)::int AS n FROM pipeline_job GROUP BY status`,
    );
    assert.deepEqual(
      jobs.filter((j) => j.status !== 'succeeded' && j.status !== 'skipped'),
      [],
      `no job left unfinished or failed: ${JSON.stringify(jobs)}`,
    );
    const datasets = await query<{ n: number }>(
      orm.em.fork(),
      sql`SELECT count(*)::int AS n FROM pipeline_job WHERE module = 'dataset'`,
    );
    assert.equal(datasets[0]!.n, experiments.length, 'one dataset job per experiment');
  });
});
