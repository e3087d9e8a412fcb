// The representative part of `npm run test:cluster` that fits `npm test`: the production
// Temporal server with all services in one process, on PostgreSQL with SQL visibility,
// `mpctl temporal setup` on it and one update through two `mpctl worker` processes. Runs
// on the server scripts/test.js has built (scripts/temporal-server.sh; ~15 minutes the first
// time, cached after); it skips, saying why, only where go or the Go module proxy is missing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { experimentWorkflowId } from '../../src/workflow-safe/job-ids.js';
import { mpctl } from '../helpers/cli.js';
import { sampleRootWithNwb } from '../helpers/sample.js';
import { temporalServerInstall } from '../helpers/temporal-cluster.js';
import { FaultStack } from '../faults/fault-stack.js';
import { runScenario } from '../faults/scenario.js';

const install = temporalServerInstall({ build: false });
const skip = install.unavailable;
if (skip) console.log(`# skipped: production Temporal server: ${skip}`);

describe('production Temporal server (all services in one process) on PostgreSQL', { skip }, () => {
  let stack: FaultStack;
  let root: string;
  let experiments: string[];

  before(async () => {
    ({ root, experiments } = await sampleRootWithNwb({
      slices: 1,
      sitesPerSlice: 3,
      cells: 2,
      sweepsPerCell: 2,
      seed: 71,
    }));
    stack = await FaultStack.start({ cluster: { install: install.dir!, layout: 'all' }, setupNamespace: false });
  });
  after(async () => stack?.stop());

  it('`mpctl temporal setup`, then an update by two worker processes: every experiment once', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-prod-server-'));
    const env = { ...stack.cliEnv(stack.postgresAdminUrl, 'setup', [root]), MPCTL_HOME: path.join(cwd, '.mpctl') };
    const setup = await mpctl(cwd, ['temporal', 'setup', '--json'], env);
    assert.equal(setup.code, 0, setup.stderr);
    assert.equal(setup.json().added.length, 4);

    const { row } = await runScenario(stack, [root], experiments, 'clean', undefined, undefined, undefined, {
      workerCount: 2,
    });
    assert.equal(row.completed, experiments.length);
    // SQL visibility answers mpctl's own search attributes.
    for (const id of experiments) {
      let runs = 0;
      for await (const wf of stack.client.workflow.list({
        query: `WorkflowId = '${experimentWorkflowId(id)}' AND MpctlExperiment = '${id}'`,
      }))
        runs += wf.status.name === 'COMPLETED' ? 1 : 0;
      assert.equal(runs, 1, `${id}: one completed run`);
    }
  });
});
