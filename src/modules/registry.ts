import type { AnySchema } from '../db/entity-rows.js';
import { ConfigError } from '../errors/index.js';
import { sliceOf } from '../workflow-safe/job-ids.js';
import { downstreamOf, orderGraph, upstreamOf } from './graph.js';
import { selectModules } from './selection.js';
import type { PipelineModule } from './types.js';

/** The validated, ordered module graph. Built once at start-up; a bad graph fails there, clearly. */
export class ModuleRegistry {
  readonly ordered: PipelineModule[];
  private readonly byName: Map<string, PipelineModule>;

  constructor(modules: PipelineModule[]) {
    this.ordered = orderGraph(modules);
    this.byName = new Map(this.ordered.map((module) => [module.name, module]));
    for (const module of this.ordered) {
      for (const dep of module.dependencies) {
        if (this.get(dep).scope === 'experiment' && module.scope === 'slice') {
          throw new ConfigError(
            `module "${module.name}" works per slice but depends on per-experiment module "${dep}"`,
          );
        }
      }
    }
    const owner = new Map<string, string>();
    for (const module of this.ordered) {
      for (const table of module.tables) {
        const other = owner.get(table);
        if (other)
          throw new ConfigError(
            `table "${table}" is owned by both "${other}" and "${module.name}"; a table has one owner`,
          );
        owner.set(table, module.name);
      }
    }
  }

  /** Every owned table's entity, for the ORM. */
  get entities(): AnySchema[] {
    return this.ordered.flatMap((module) => module.entities);
  }

  get names(): string[] {
    return this.ordered.map((module) => module.name);
  }

  get(name: string): PipelineModule {
    const module = this.byName.get(name);
    if (!module) throw new ConfigError(`unknown module "${name}"; known modules: ${this.names.join(', ')}`);
    return module;
  }

  downstreamOf(name: string): string[] {
    return downstreamOf(this.ordered, name);
  }

  upstreamOf(name: string): string[] {
    return upstreamOf(this.ordered, name);
  }

  select(tokens: string[]): string[] {
    return selectModules(this.ordered, tokens);
  }

  /** The job of dependency `dep` that job `jobId` of `module` consumes. */
  upstreamJobId(module: string, dep: string, jobId: string): string {
    const from = this.get(module).scope;
    const to = this.get(dep).scope;
    return from === 'experiment' && to === 'slice' ? sliceOf(jobId) : jobId;
  }

  /** Whether job `jobId` of `module` consumes job `upstreamJobId` of `dep`. */
  consumes(module: string, jobId: string, dep: string, upstreamJobId: string): boolean {
    return this.upstreamJobId(module, dep, jobId) === upstreamJobId;
  }
}
