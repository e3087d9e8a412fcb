import { experimentModule } from './experiment/index.js';
import { ModuleRegistry } from './registry.js';
import { sliceModule } from './slice/index.js';
import type { PipelineModule } from './types.js';

/** The v1 pipeline. Adding a module: its folder under src/modules and one line here. */
export const pipelineModules: PipelineModule[] = [sliceModule, experimentModule];

export function createRegistry(modules: PipelineModule[] = pipelineModules): ModuleRegistry {
  return new ModuleRegistry(modules);
}

export { ModuleRegistry } from './registry.js';
export type { PipelineModule, JobSource, JobScope, ProcessContext, ProcessResult } from './types.js';
