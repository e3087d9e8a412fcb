// How each workflow moves between builds when workers run with versioning (MPCTL_WORKER_VERSIONING).
// Histories replay the same either way: the behaviour is not part of a workflow's commands.
import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { VersioningBehavior, WorkflowDefinitionOptions } from '@temporalio/common';
import { dropResults } from './drop-results.js';
import { pipelineUpdate } from './pipeline-update.js';
import { processExperiment } from './process-experiment.js';

/**
 * The behaviour, on versioned workers only: the server rejects a behaviour from an unversioned one
 * ("versioning behavior cannot be specified without deployment options"). Only versioned workers
 * have a deployment name; unversioned ones still report the SDK's build id.
 */
export const versioned = (versioningBehavior: VersioningBehavior) => (): WorkflowDefinitionOptions =>
  workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior } : {};

// An experiment's DAG runs for minutes to hours: pinned, it finishes on the build that started it, so a
// rollout may change the DAG freely (no patched()) and the old build drains once its experiments end.
setWorkflowOptions(versioned('PINNED'), processExperiment);

// An update over an archive runs for days. Pinned, it would hold the old build up that long and its
// new children would inherit the old build; auto-upgrading, it moves to the new build at its next task
// and starts every later experiment there. The price: its changes stay replay-safe (patched(), replay test).
setWorkflowOptions(versioned('AUTO_UPGRADE'), pipelineUpdate);

// A drop lasts seconds (cancel, then delete in one transaction): pinned, like any short workflow.
setWorkflowOptions(versioned('PINNED'), dropResults);
