// How each workflow moves between builds when workers run with versioning (MPCTL_WORKER_VERSIONING).
// Read by the worker only then; unversioned workers ignore it, and histories replay the same either way.
import { setWorkflowOptions } from '@temporalio/workflow';
import { dropResults } from './drop-results.js';
import { pipelineUpdate } from './pipeline-update.js';
import { processExperiment } from './process-experiment.js';

// An experiment's DAG runs for minutes to hours: pinned, it finishes on the build that started it, so a
// rollout may change the DAG freely (no patched()) and the old build drains once its experiments end.
setWorkflowOptions({ versioningBehavior: 'PINNED' }, processExperiment);

// An update over an archive runs for days. Pinned, it would hold the old build up that long and its
// new children would inherit the old build; auto-upgrading, it moves to the new build at its next task
// and starts every later experiment there. The price: its changes stay replay-safe (patched(), replay test).
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, pipelineUpdate);

// A drop lasts seconds (cancel, then delete in one transaction): pinned, like any short workflow.
setWorkflowOptions({ versioningBehavior: 'PINNED' }, dropResults);
