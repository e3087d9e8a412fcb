import { defineEntity, p } from '@mikro-orm/core';

import type { PlannedJob } from '../workflow-safe/workflow-types.js';

/**
 * One unit of an update's plan: a slice job, or one experiment's jobs. Plans live here, not in
 * workflow payloads, so an update over thousands of experiments stays far below Temporal's size limits.
 */
export const PipelinePlanSchema = defineEntity({
  name: 'PipelinePlan',
  tableName: 'pipeline_plan',
  properties: {
    id: p.integer().primary().autoincrement(),
    updateId: p.string().length(255),
    kind: p.string().length(16).$type<'slice' | 'experiment' | 'orphan'>(),
    seq: p.integer(),
    key: p.string().length(512),
    jobs: p.json<PlannedJob[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['updateId', 'kind', 'seq'] }],
});

export class PipelinePlan extends PipelinePlanSchema.class {}
PipelinePlanSchema.setClass(PipelinePlan);
