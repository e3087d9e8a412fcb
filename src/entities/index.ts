import { BaselineSchema } from './baseline.js';
import { CellSchema } from './cell.js';
import { ConnectionStrengthSchema } from './connection-strength.js';
import { ElectrodeSchema } from './electrode.js';
import { ExperimentSchema } from './experiment.js';
import { IntrinsicSchema } from './intrinsic.js';
import { PairSchema } from './pair.js';
import { PipelineJobSchema } from './pipeline-job.js';
import { PipelinePlanSchema } from './pipeline-plan.js';
import { PulseResponseSchema } from './pulse-response.js';
import { PulseResponseStrengthSchema } from './pulse-response-strength.js';
import { RecordingSchema } from './recording.js';
import { SliceSchema } from './slice.js';
import { StimPulseSchema } from './stim-pulse.js';

export { Cell } from './cell.js';
export { Electrode } from './electrode.js';
export { Experiment } from './experiment.js';
export { Pair } from './pair.js';
export { PipelineJob, type JobStatus, type ConsumedUpstream } from './pipeline-job.js';
export { PipelinePlan } from './pipeline-plan.js';
export { Slice } from './slice.js';
export { Recording } from './recording.js';
export { StimPulse } from './stim-pulse.js';
export { Baseline } from './baseline.js';
export { PulseResponse } from './pulse-response.js';
export { Intrinsic } from './intrinsic.js';
export { PulseResponseStrength } from './pulse-response-strength.js';
export { ConnectionStrength } from './connection-strength.js';

/** Every entity the ORM knows; a module's entities are added here when the module is. */
export const allEntities = [
  PipelineJobSchema,
  PipelinePlanSchema,
  SliceSchema,
  ExperimentSchema,
  ElectrodeSchema,
  CellSchema,
  PairSchema,
  RecordingSchema,
  StimPulseSchema,
  BaselineSchema,
  PulseResponseSchema,
  IntrinsicSchema,
  PulseResponseStrengthSchema,
  ConnectionStrengthSchema,
];
