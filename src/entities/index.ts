import { CellSchema } from './cell.js';
import { ElectrodeSchema } from './electrode.js';
import { ExperimentSchema } from './experiment.js';
import { PairSchema } from './pair.js';
import { PipelineJobSchema } from './pipeline-job.js';
import { PipelinePlanSchema } from './pipeline-plan.js';
import { SliceSchema } from './slice.js';

export { Cell } from './cell.js';
export { Electrode } from './electrode.js';
export { Experiment } from './experiment.js';
export { Pair } from './pair.js';
export { PipelineJob, type JobStatus, type ConsumedUpstream } from './pipeline-job.js';
export { PipelinePlan, type PlannedJob } from './pipeline-plan.js';
export { Slice } from './slice.js';

/** Every entity the ORM knows; a module's entities are added here when the module is. */
export const allEntities = [PipelineJobSchema, PipelinePlanSchema, SliceSchema, ExperimentSchema, ElectrodeSchema, CellSchema, PairSchema];
