// All SQL on pipeline_plan: an update's plan, stored as units the update workflow pages through,
// so an update over thousands of experiments stays far below Temporal's payload and history limits.
import { insertRows } from '../db/entity-rows.js';
import type { Em } from '../db/orm.js';
import { execute, query, sql } from '../db/sql.js';
import type { PlannedJob } from '../workflow-safe/workflow-types.js';
import { PipelinePlanSchema, type PlanKind } from './entities.js';

export interface PlanUnit {
  seq: number;
  key: string;
  jobs: PlannedJob[];
}

/** Plans are kept this long after planning, for `update --attach` and debugging. */
export const PLAN_RETENTION_DAYS = 7;
/** Rows pruned per planning at most, so one planning never stalls on a backlog of old plans. */
export const PRUNE_BATCH = 5_000;

/** Replaces an update's stored plan with these units, numbered per kind in the order given; returns units per kind. */
export async function storePlanUnits(
  em: Em,
  updateId: string,
  units: { kind: PlanKind; key: string; jobs: PlannedJob[] }[],
): Promise<Record<PlanKind, number>> {
  const seq: Record<PlanKind, number> = { slice: 0, experiment: 0, orphan: 0 };
  await execute(em, sql`DELETE FROM pipeline_plan WHERE update_id = ${updateId}`);
  const createdAt = new Date();
  await insertRows(
    em,
    PipelinePlanSchema,
    units.map((unit) => ({
      updateId,
      kind: unit.kind,
      seq: seq[unit.kind]++,
      key: unit.key,
      jobs: unit.jobs,
      createdAt,
    })),
  );
  return seq;
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

/**
 * Deletes at most `batch` plan rows older than the retention, never those of `keep` (the update
 * that is planning, or still running); returns how many went.
 */
export async function pruneOldPlans(
  em: Em,
  keep: string[],
  olderThanDays = PLAN_RETENTION_DAYS,
  batch = PRUNE_BATCH,
): Promise<number> {
  return execute(
    em,
    sql`DELETE FROM pipeline_plan WHERE id IN (
      SELECT id FROM pipeline_plan
      WHERE created_at < now() - make_interval(days => ${olderThanDays}) AND update_id <> ALL(${keep}::text[])
      LIMIT ${batch})`,
  );
}
