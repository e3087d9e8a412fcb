import type { Em } from '../db/orm.js';
import { bulkInsert, execute, query, sql } from '../db/sql.js';
import type { PlannedJob } from '../workflow-safe/workflow-types.js';
import type { ModuleRegistry } from '../modules/registry.js';
import type { UpdatePlan } from './planner.js';

export type PlanKind = 'slice' | 'experiment' | 'orphan';

export interface PlanUnit {
  seq: number;
  key: string;
  jobs: PlannedJob[];
}

export interface StoredPlanSummary {
  sliceJobs: number;
  experiments: number;
  jobs: number;
  orphanJobs: number;
  byModule: Record<string, number>;
}

/** Stores a plan as units (one slice job, or one experiment's jobs) that the update workflow pages through. */
export async function storePlan(
  em: Em,
  registry: ModuleRegistry,
  updateId: string,
  plan: UpdatePlan,
): Promise<StoredPlanSummary> {
  const units: { kind: PlanKind; key: string; jobs: PlannedJob[] }[] = [];
  const experiments = new Map<string, PlannedJob[]>();
  for (const job of plan.jobs) {
    if (registry.get(job.module).scope === 'slice') units.push({ kind: 'slice', key: job.jobId, jobs: [job] });
    else experiments.set(job.jobId, [...(experiments.get(job.jobId) ?? []), job]);
  }
  for (const [key, jobs] of experiments) units.push({ kind: 'experiment', key, jobs });
  for (const orphan of plan.orphans)
    units.push({
      kind: 'orphan',
      key: orphan.module,
      jobs: orphan.jobIds.map((jobId) => ({ module: orphan.module, jobId, reason: 'orphan' })),
    });
  const seq: Record<PlanKind, number> = { slice: 0, experiment: 0, orphan: 0 };
  await execute(em, sql`DELETE FROM pipeline_plan WHERE update_id = ${updateId} AND kind <> 'lock'`);
  await bulkInsert(
    em,
    'pipeline_plan',
    { update_id: 'text', kind: 'text', seq: 'int4', key: 'text', jobs: 'jsonb', created_at: 'timestamptz' },
    units.map((unit) => ({
      update_id: updateId,
      kind: unit.kind,
      seq: seq[unit.kind]++,
      key: unit.key,
      jobs: unit.jobs,
      created_at: new Date(),
    })),
  );
  const byModule: Record<string, number> = {};
  for (const job of plan.jobs) byModule[job.module] = (byModule[job.module] ?? 0) + 1;
  return {
    sliceJobs: seq.slice,
    experiments: seq.experiment,
    jobs: plan.jobs.length,
    orphanJobs: plan.orphans.reduce((n, o) => n + o.jobIds.length, 0),
    byModule,
  };
}

export async function loadPlanUnits(
  em: Em,
  updateId: string,
  kind: PlanKind,
  fromSeq: number,
  limit: number,
): Promise<PlanUnit[]> {
  return query<PlanUnit>(
    em,
    sql`SELECT seq, key, jobs FROM pipeline_plan
    WHERE update_id = ${updateId} AND kind = ${kind} AND seq >= ${fromSeq} ORDER BY seq LIMIT ${limit}`,
  );
}

/** Plans of finished updates are only kept for a week, for `update --attach` and debugging. */
export async function prunePlans(em: Em, olderThanDays = 7): Promise<number> {
  return execute(
    em,
    sql`DELETE FROM pipeline_plan WHERE kind <> 'lock' AND created_at < now() - make_interval(days => ${olderThanDays})`,
  );
}
