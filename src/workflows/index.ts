// Every workflow the worker registers. The `satisfies` lines fail compilation if a workflow
// drifts from the signature the CLI starts it with.
import type {
  DropResultsWorkflow,
  PipelineUpdateWorkflow,
  ProcessExperimentWorkflow,
} from '../workflow-safe/workflow-types.js';
import { dropResults } from './drop-results.js';
import { pipelineUpdate } from './pipeline-update.js';
import { processExperiment } from './process-experiment.js';
import './versioning.js';

export { dropResults, pipelineUpdate, processExperiment };

pipelineUpdate satisfies PipelineUpdateWorkflow;
processExperiment satisfies ProcessExperimentWorkflow;
dropResults satisfies DropResultsWorkflow;
