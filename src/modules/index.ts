import { cellClassModule } from './cell_class/index.js';
import { connectionStrengthModule } from './connection_strength/index.js';
import { datasetModule } from './dataset/index.js';
import { experimentModule } from './experiment/index.js';
import { intrinsicModule } from './intrinsic/index.js';
import { pulseResponseModule } from './pulse_response/index.js';
import { ModuleRegistry } from './registry.js';
import { sliceModule } from './slice/index.js';
import type { PipelineModule } from './types.js';

/** The metadata modules alone: what a data root without NWB files can run. */
export const metadataModules: PipelineModule[] = [sliceModule, experimentModule];

/** The built-in pipeline. Adding a module: its folder under src/modules and one line here. */
export const pipelineModules: PipelineModule[] = [
  ...metadataModules,
  datasetModule,
  intrinsicModule,
  pulseResponseModule,
  connectionStrengthModule,
  cellClassModule,
];

export function createRegistry(modules: PipelineModule[] = pipelineModules): ModuleRegistry {
  return new ModuleRegistry(modules);
}

export { defineModule } from './define-module.js';
export { ModuleRegistry } from './registry.js';
export type {
  JobScope,
  ModuleDeclaration,
  ModuleParams,
  PipelineModule,
  ProcessContext,
  ProcessResult,
} from './types.js';
export type { JobSource } from '../raw/job-source.js';
