#!/usr/bin/env node
// Records a processExperiment history (one success, one with a failed module) for the replay
// test. Re-record only when a workflow change is meant to be incompatible with running histories.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { startTestPipeline } = await import(path.join(root, 'dist/test/helpers/pipeline.js'));
const { sampleRoot } = await import(path.join(root, 'dist/test/helpers/sample.js'));
const { experimentWorkflowId } = await import(path.join(root, 'dist/src/workflow-safe/job-ids.js'));
const { historyToJSON } = await import('@temporalio/common/lib/proto-utils.js');

const { root: dataRoot, experiments } = sampleRoot(1, 2, 3, 5);
fs.writeFileSync(path.join(dataRoot, experiments[1], 'ignore.txt'), 'recorded failure\n');
const pipeline = await startTestPipeline([dataRoot]);
try {
  await pipeline.update();
  for (const [name, experiment] of [
    ['succeeded', experiments[0]],
    ['failed', experiments[1]],
  ]) {
    const history = await pipeline.client.workflow.getHandle(experimentWorkflowId(experiment)).fetchHistory();
    const file = path.join(root, 'test/fixtures', `process-experiment-${name}.history.json`);
    fs.writeFileSync(file, historyToJSON(history));
    console.log(`wrote ${file} (${history.events.length} events)`);
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await pipeline.close();
  process.exit();
}
