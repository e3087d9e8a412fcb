import { pipelineModules } from '../../src/modules/index.js';
import type { PipelineModule } from '../../src/modules/types.js';

/**
 * The registry's module graph with no work in it (same names, dependencies and scopes, no
 * tables): what is left to measure is orchestration, planning and job records.
 */
export const noopModules: PipelineModule[] = pipelineModules.map((module) => ({
  ...module,
  entities: [],
  tables: [],
  params: {},
  rawInputs: () => [],
  process: async () => ({ rows: {} }),
  drop: async () => ({}),
}));
