import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { loadModules } from '../../src/external/load-registry.js';

/** The modules the CLI runs here: the built-ins and the external modules mpctl ships. */
const cliRegistry = () => loadModules({ modulePaths: [], resultsRoot: os.tmpdir() }).registry;
import { mpctl } from '../helpers/cli.js';
import { testServers } from '../helpers/servers.js';

/** The walking-pipeline acceptance run, through the real CLI and its own embedded stack. */
describe('a new user: sample data, up, update, status, down, up', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-user-'));
  fs.chmodSync(cwd, 0o755);
  const env: NodeJS.ProcessEnv = {};

  before(async () => {
    // Reuse the suite's Temporal CLI binary so this test does not install it again.
    const servers = await testServers();
    if (servers.temporalCliPath) env.TEMPORAL_CLI_PATH = servers.temporalCliPath;
  });
  after(async () => {
    await mpctl(cwd, ['down'], env);
  });

  it('writes sample data and starts the stack', async () => {
    const sample = await mpctl(
      cwd,
      ['sample-data', '--out', 'data', '--slices', '2', '--sites-per-slice', '2', '--json'],
      env,
    );
    assert.equal(sample.code, 0, sample.stderr);
    assert.equal(sample.json().experiments.length, 4);
    const up = await mpctl(cwd, ['up', '--detach', '--json'], env);
    assert.equal(up.code, 0, up.stderr + up.stdout);
    const info = await mpctl(cwd, ['stack', 'info', '--json'], env);
    assert.deepEqual(Object.keys(info.json()).sort(), [
      'databaseUrl',
      'namespace',
      'taskQueue',
      'temporalAddress',
      'uiUrl',
    ]);
    assert.match(info.json().databaseUrl, /:\*\*\*@/, 'the password is masked');
  });

  it('update --wait --json runs everything; status shows it', async () => {
    const update = await mpctl(cwd, ['update', '--wait', '--json'], env);
    assert.equal(update.code, 0, update.stderr + update.stdout);
    assert.equal(update.json().phase, 'done');
    const status = await mpctl(cwd, ['status', '--json'], env);
    const byModule = Object.fromEntries(status.json().modules.map((m: { module: string }) => [m.module, m]));
    assert.deepEqual(
      [byModule.slice.succeeded, byModule.experiment.succeeded, byModule.slice.failed + byModule.experiment.failed],
      [2, 4, 0],
    );
    for (const module of ['dataset', ...cliRegistry().downstreamOf('dataset')])
      assert.deepEqual([byModule[module].succeeded, byModule[module].failed], [4, 0], module);
    for (const m of status.json().modules)
      assert.deepEqual(Object.keys(m).slice(0, 5), ['module', 'succeeded', 'failed', 'ready', 'running']);
  });

  it('a second dry run lists nothing; touching one pipettes.yml lists that experiment only', async () => {
    assert.deepEqual((await mpctl(cwd, ['update', '--dry-run', '--json'], env)).json().jobs, []);
    const slice = fs
      .readdirSync(path.join(cwd, 'data'))
      .filter((f) => f.includes('slice'))
      .sort()[0];
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(cwd, 'data', slice, 'site_1', 'pipettes.yml'), later, later);
    const dry = await mpctl(cwd, ['update', '--dry-run', '--json'], env);
    const [first, ...rest] = dry.json().jobs as { module: string; jobId: string; reason: string }[];
    assert.deepEqual(first, { module: 'experiment', jobId: `${slice}/site_1`, reason: 'raw-changed' });
    assert.deepEqual(rest.map((j) => j.module).sort(), cliRegistry().downstreamOf('experiment').sort());
    assert.ok(rest.every((j) => j.jobId === `${slice}/site_1` && j.reason.startsWith('upstream-changed:')));
  });

  it("validate scores the results against the sample data's ground truth", async () => {
    const v = await mpctl(cwd, ['validate', '--truth', 'data/truth', '--json'], env);
    assert.equal(v.code, 0, v.stderr + v.stdout);
    assert.equal(v.json().pairs, 4 * 4 * 3);
    assert.equal(v.json().missingPredictions, 0);
    assert.ok(v.json().rocAuc > 0.5, `AUC ${v.json().rocAuc}`);
  });

  it('down then up keeps the results and the workflow histories; the Web UI answers', async () => {
    assert.equal((await mpctl(cwd, ['down'], env)).code, 0);
    assert.equal((await mpctl(cwd, ['up', '--detach'], env)).code, 0);
    const status = await mpctl(cwd, ['status', '--json'], env);
    const experiment = status.json().modules.find((m: { module: string }) => m.module === 'experiment');
    assert.deepEqual([experiment.succeeded, experiment.failed, experiment.ready], [4, 0, 1]);
    const info = (await mpctl(cwd, ['stack', 'info', '--json'], env)).json();
    assert.match(info.uiUrl, new RegExp(`/namespaces/${info.namespace}/workflows$`));
    assert.equal((await fetch(info.uiUrl)).status, 200);
    const connection = await Connection.connect({ address: info.temporalAddress });
    try {
      const client = new Client({ connection, namespace: info.namespace });
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query: "WorkflowType = 'processExperiment'" }))
        ids.push(wf.workflowId);
      assert.equal(ids.filter((id) => id.startsWith('experiment/')).length, 4);
    } finally {
      await connection.close();
    }
  });
});
