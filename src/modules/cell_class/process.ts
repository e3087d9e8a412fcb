import { insertRows } from '../../db/entity-rows.js';
import { query, sql } from '../../db/sql.js';
import type { ProcessContext, ProcessResult } from '../types.js';
import type { CellClassDefinition } from './definitions.js';
import { CellClassSchema } from './entities.js';
import { classesOf } from './match.js';

export interface CellClassParams extends Record<string, unknown> {
  classes: CellClassDefinition[];
}

export async function processCellClass({ em, job, params }: ProcessContext<CellClassParams>): Promise<ProcessResult> {
  const cells = await query<{
    id: number;
    cre_type: string | null;
    target_layer: string | null;
    morphology: string | null;
    labels: Record<string, string> | null;
  }>(
    em,
    sql`SELECT id, cre_type, target_layer, morphology, labels FROM cell WHERE experiment_id = ${job.jobId} ORDER BY id`,
  );
  const rows = cells.flatMap((c) =>
    classesOf(
      { creType: c.cre_type, targetLayer: c.target_layer, morphology: c.morphology, labels: c.labels },
      params.classes,
    ).map((className) => ({ experiment: job.jobId, cell: c.id, className })),
  );
  await insertRows(em, CellClassSchema, rows);
  const unclassified = cells.length - new Set(rows.map((r) => r.cell)).size;
  return {
    rows: { cell_class: rows.length },
    warnings: unclassified ? [`${unclassified} of ${cells.length} cells match no class`] : undefined,
  };
}
