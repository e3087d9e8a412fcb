// A rollout on the real stack: build A runs an update, build B (another tree, another bundle, another
// build id) is made current mid-update, A drains. Pinned experiments finish on A, new ones run on B,
// the auto-upgrading update moves to B, nothing is lost or doubled, and every history still replays.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { query, sql } from '../../src/db/sql.js';
import type { DeploymentDescription } from '../../src/temporal/worker-deployment.js';
import { waitFor } from '../../src/util/wait.js';
import { workflowCode } from '../../src/worker/workflow-code.js';
import { experimentWorkflowId, updateWorkflowId } from '../../src/workflow-safe/job-ids.js';
import {
  WorkflowNames,
  type PipelineUpdateInput,
  type PipelineUpdateResult,
} from '../../src/workflow-safe/workflow-types.js';
import { repoRoot } from '../deploy/support.js';
import { mpctl } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { fixtureModule } from '../helpers/external-fixtures.js';
import { sampleRoot } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process.js';

const { VersioningBehavior } = proto.temporal.api.enums.v1;

/** Another checkout of this one: its own bin/, dist/ and package.json, the rest shared by symlink. */
function buildTree(): string {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-build-b-'));
  for (const entry of fs.readdirSync(repoRoot)) {
    if (entry === '.git') continue;
    const from = path.join(repoRoot, entry);
    // Copied, not linked: node resolves a linked file to its real path and would load build A's dist.
    if (['bin', 'dist', 'package.json'].includes(entry)) fs.cpSync(from, path.join(tree, entry), { recursive: true });
    else fs.symlinkSync(from, path.join(tree, entry));
  }
  return tree;
}

interface Placement {
  buildId?: string;
  behavior?: string;
}

async function placement(handle: WorkflowHandle): Promise<Placement> {
  const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
  return {
    buildId: info?.deploymentVersion?.buildId ?? undefined,
    behavior: info?.behavior ? VersioningBehavior[info.behavior] : undefined,
  };
}

/** The promise's value, or a failure naming what did not happen in time. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('worker versioning: a rollout from build A to build B mid-update', () => {
  const hex = crypto.randomBytes(4).toString('hex');
  const deploymentName = `versioning-${hex}`;
  const taskQueue = `versioning-${hex}`;
  const updateId = `versioning-${hex}`;
  // Four experiments, two at a time: the first two are in flight on A when B becomes current.
  const { root, experiments } = sampleRoot(2, 2, 2, 29);
  const parallel = 2;
  const gateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-gate-'));
  const gate = path.join(gateDir, 'open');
  // A module that waits (at most 60 s) until the test opens the gate, so experiments stay in flight.
  const gated = fixtureModule({
    name: 'gated',
    script: `#!/usr/bin/env bash
set -euo pipefail
for _ in $(seq 1 600); do [ -e '${gate}' ] && break; sleep 0.1; done
echo '{"table": "gated", "row": {"n_files": 1, "note": "'"$MPCTL_WORKER_BUILD"'"}}'
`,
  });
  let db: TestDatabase;
  let connection: Connection;
  let client: Client;
  let temporalAddress: string;
  let treeB: string;
  const workers: WorkerProcess[] = [];
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-versioning-'));

  const startBuild = (build: 'A' | 'B') => {
    const worker = spawnWorker({
      databaseUrl: db.url,
      temporalAddress,
      namespace: TEST_NAMESPACE,
      taskQueue,
      dataRoots: [root],
      logFile: path.join(logDir, `worker-${build}.log`),
      concurrency: 4,
      root: build === 'B' ? treeB : undefined,
      env: {
        MPCTL_WORKER_VERSIONING: 'true',
        MPCTL_DEPLOYMENT_NAME: deploymentName,
        MPCTL_BUILD_ID: `build-${build.toLowerCase()}-${hex}`,
        MPCTL_MODULE_PATHS: gated.modulePath,
        MPCTL_WORKER_BUILD: build,
      },
    });
    workers.push(worker);
    return worker;
  };
  const cliEnv = () => ({
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: TEST_NAMESPACE,
    MPCTL_DEPLOYMENT_NAME: deploymentName,
  });
  const setCurrent = async (build: 'A' | 'B') => {
    const result = await mpctl(
      repoRoot,
      ['deployment', 'set-current', '--build-id', `build-${build.toLowerCase()}-${hex}`, '--wait', '60', '--json'],
      cliEnv(),
    );
    assert.equal(result.code, 0, result.stderr + result.stdout);
    return result.json<{ deploymentName: string; buildId: string; previousBuildId: string | null; attempts: number }>();
  };

  before(async () => {
    ({ temporalAddress } = await testServers());
    db = await createTestDatabase();
    connection = await Connection.connect({ address: temporalAddress });
    client = new Client({ connection, namespace: TEST_NAMESPACE });
    // Build B: a separate tree whose prebuilt bundle has the changed processExperiment.
    treeB = buildTree();
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(treeB, 'dist/test/fixtures/build-b-workflows.js'),
      logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
    });
    fs.writeFileSync(path.join(treeB, 'dist/workflow-bundle.js'), code);
  });
  after(async () => {
    fs.writeFileSync(gate, ''); // never leave a module waiting
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await connection?.close();
    await db?.drop();
    if (treeB) fs.rmSync(treeB, { recursive: true, force: true });
  });

  test('in-flight experiments finish on A, new ones start on B, the update moves to B, nothing lost', async () => {
    const workerA = startBuild('A');
    await workerA.ready();
    assert.match(workerA.output(), new RegExp(`deployment ${deploymentName} build build-a-${hex}, versioning on`));
    // Attempts vary: the command retries until the new worker's first poll reaches the server.
    const { attempts, ...madeCurrent } = await setCurrent('A');
    assert.ok(attempts >= 1);
    assert.deepEqual(madeCurrent, { deploymentName, buildId: `build-a-${hex}`, previousBuildId: null });

    const update = await client.workflow.start(WorkflowNames.pipelineUpdate, {
      taskQueue,
      workflowId: updateWorkflowId(updateId),
      args: [{ updateId, modules: ['slice', 'experiment', 'gated'], parallel } satisfies PipelineUpdateInput],
    });
    // Bounded: both first experiments are running on A (their gated jobs wait at the gate).
    const inFlight = await waitFor(
      'two experiments in flight on build A',
      async () => {
        const rows = await query<{ job_id: string }>(
          db.orm.em.fork(),
          sql`SELECT job_id FROM pipeline_job WHERE module = 'gated' AND status = 'running'`,
        );
        return rows.length === parallel ? rows.map((r) => r.job_id).sort() : undefined;
      },
      60_000,
    );

    const workerB = startBuild('B');
    await workerB.ready();
    assert.equal((await setCurrent('B')).previousBuildId, `build-a-${hex}`);
    fs.writeFileSync(gate, '');

    const result = await within(120_000, 'the update to finish', update.result() as Promise<PipelineUpdateResult>);
    assert.equal(result.phase, 'done');

    // Where each experiment ran, by Temporal's record and by its result.
    for (const id of experiments) {
      const handle = client.workflow.getHandle(experimentWorkflowId(id));
      const where = await placement(handle);
      const output = (await handle.result()) as { build?: string; modules: Record<string, string> };
      assert.deepEqual(Object.values(output.modules), ['succeeded', 'succeeded'], `${id}: ${JSON.stringify(output)}`);
      if (inFlight.includes(id)) {
        assert.deepEqual(where, { buildId: `build-a-${hex}`, behavior: 'VERSIONING_BEHAVIOR_PINNED' }, id);
        assert.equal(output.build, undefined, `${id} ran build A's processExperiment`);
      } else {
        assert.deepEqual(where, { buildId: `build-b-${hex}`, behavior: 'VERSIONING_BEHAVIOR_PINNED' }, id);
        assert.equal(output.build, 'B', `${id} ran build B's processExperiment`);
      }
    }
    assert.deepEqual(await placement(update), {
      buildId: `build-b-${hex}`,
      behavior: 'VERSIONING_BEHAVIOR_AUTO_UPGRADE',
    });

    // Nothing lost or doubled: one succeeded record per job, each gated job on the build that ran its experiment.
    const jobs = await query<{ module: string; job_id: string; status: string; note: string | null }>(
      db.orm.em.fork(),
      sql`SELECT j.module, j.job_id, j.status, g.note FROM pipeline_job j
          LEFT JOIN gated g ON j.module = 'gated' AND g.experiment_id = j.job_id ORDER BY j.module, j.job_id`,
    );
    assert.equal(jobs.length, 2 + experiments.length * 2, JSON.stringify(jobs));
    assert.ok(jobs.every((j) => j.status === 'succeeded'));
    assert.equal(new Set(jobs.map((j) => `${j.module}/${j.job_id}`)).size, jobs.length);
    const gatedRows = await query<{ n: string }>(db.orm.em.fork(), sql`SELECT count(*) AS n FROM gated`);
    assert.equal(Number(gatedRows[0]!.n), experiments.length);
    for (const j of jobs.filter((j) => j.module === 'gated'))
      assert.equal(j.note, inFlight.includes(j.job_id) ? 'A' : 'B', j.job_id);

    // A is no longer current, and drains: `mpctl deployment describe` says so, and its worker stops cleanly.
    const described = await mpctl(repoRoot, ['deployment', 'describe', '--json'], cliEnv());
    assert.equal(described.code, 0, described.stderr);
    const deployment = described.json<DeploymentDescription>();
    assert.equal(deployment?.currentBuildId, `build-b-${hex}`);
    const a = deployment?.versions.find((v) => v.buildId === `build-a-${hex}`);
    assert.ok(a && ['DRAINING', 'DRAINED'].includes(a.status), JSON.stringify(deployment));
    const exit = await workerA.stop('SIGTERM');
    assert.equal(exit.code, 0, workerA.output());

    // Replay: an experiment of A against this checkout (build A), one of B against B's bundle, the update (A, then B) too.
    const ranOnA = experimentWorkflowId(inFlight[0]!);
    const ranOnB = experimentWorkflowId(experiments.find((e) => !inFlight.includes(e))!);
    await Worker.runReplayHistory(
      { ...workflowCode(), replayName: 'build-a' },
      await client.workflow.getHandle(ranOnA).fetchHistory(),
      ranOnA,
    );
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: path.join(treeB, 'dist/workflow-bundle.js') }, replayName: 'build-b' },
      await client.workflow.getHandle(ranOnB).fetchHistory(),
      ranOnB,
    );
    await Worker.runReplayHistory(
      { ...workflowCode(), replayName: 'update' },
      await update.fetchHistory(),
      update.workflowId,
    );
  });

  test('set-current fails (exit 1) for a build no worker serves; describe fails for an unknown deployment', async () => {
    const none = await mpctl(
      repoRoot,
      ['deployment', 'set-current', '--build-id', `nobody-${hex}`, '--wait', '2', '--json'],
      cliEnv(),
    );
    assert.equal(none.code, 1, none.stdout);
    assert.match(
      none.json<{ error: { message: string } }>().error.message,
      new RegExp(`could not make build nobody-${hex} current`),
    );
    const unknown = await mpctl(repoRoot, ['deployment', 'describe', '--deployment-name', `nope-${hex}`], cliEnv());
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, new RegExp(`no Worker Deployment "nope-${hex}"`));
  });
});
