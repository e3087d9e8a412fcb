import { pruneOldPlans, storePlanUnits } from '../bookkeeping/plans.js';
import type { PlanKind } from '../bookkeeping/entities.js';
import type { Em } from '../db/orm.js';
import type { ModuleRegistry } from '../modules/registry.js';
import type { PlannedJob } from '../workflow-safe/workflow-types.js';
import type { UpdatePlan } from './planner.js';

export interface StoredPlanSummary {
  sliceJobs: number;
  experiments: number;
  jobs: number;
  orphanJobs: number;
  byModule: Record<string, number>;
  /** Plan rows of old updates deleted while storing this one. */
  prunedPlanRows: number;
}

/**
 * Stores a plan as units (one slice job, one experiment's jobs, or one module's orphans) and
 * prunes old plans, so pipeline_plan stays bounded however many updates run.
 */
export async function storePlan(
  em: Em,
  registry: ModuleRegistry,
  updateId: string,
  plan: UpdatePlan,
  keep: string[] = [],
): Promise<StoredPlanSummary> {
  const units: { kind: PlanKind; key: string; jobs: PlannedJob[] }[] = [];
  const experiments = new Map<string, PlannedJob[]>();
  for (const job of plan.jobs) {
    if (registry.get(job.module).scope === 'slice') units.push({ kind: 'slice', key: job.jobId, jobs: [job] });
    else experiments.set(job.jobId, [...(experiments.get(job.jobId) ?? []), job]);
  }
  for (const [key, jobs] of experiments) units.push({ kind: 'experiment', key, jobs });
  for (const orphan of plan.orphans) {
    const jobs = orphan.jobIds.map((jobId) => ({ module: orphan.module, jobId, reason: 'orphan' }));
    units.push({ kind: 'orphan', key: orphan.module, jobs });
  }
  const prunedPlanRows = await pruneOldPlans(em, [updateId, ...keep]);
  const counts = await storePlanUnits(em, updateId, units);
  const byModule: Record<string, number> = {};
  for (const job of plan.jobs) byModule[job.module] = (byModule[job.module] ?? 0) + 1;
  return {
    sliceJobs: counts.slice,
    experiments: counts.experiment,
    jobs: plan.jobs.length,
    orphanJobs: plan.orphans.reduce((n, o) => n + o.jobIds.length, 0),
    byModule,
    prunedPlanRows,
  };
}
