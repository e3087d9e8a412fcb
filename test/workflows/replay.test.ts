import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowCode } from '../../src/worker/workflow-code.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Fixtures are committed JSON under test/fixtures (not compiled): found from dist/test/workflows.
const fixtures = path.resolve(here, '../../../test/fixtures');
const history = (name: string) =>
  historyFromJSON(JSON.parse(fs.readFileSync(path.join(fixtures, `process-experiment-${name}.history.json`), 'utf8')));

describe('processExperiment replays recorded histories', () => {
  for (const name of ['succeeded', 'failed']) {
    it(`replays the recorded ${name} run without non-determinism`, async () => {
      await Worker.runReplayHistory(
        { ...workflowCode(), replayName: name },
        history(name),
        'processExperiment-' + name,
      );
    });
  }

  it('fails when the workflow code schedules its steps differently', async () => {
    const altered = path.resolve(here, '../fixtures/altered-workflows.js');
    await assert.rejects(
      Worker.runReplayHistory({ workflowsPath: altered }, history('succeeded')),
      DeterminismViolationError,
    );
  });
});
