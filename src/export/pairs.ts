import type { Em } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import { DETECTION_THRESHOLD } from '../views/connections.js';
import { existingTables, tableColumns, type ColumnKind, type ReleaseColumn, type ReleaseTable } from './columns.js';
import { releaseValue, type ExperimentFilter } from './read-table.js';

/** Tables other modules may add; their columns join `pairs` when they exist. */
export const CELL_CLASS_TABLE = 'cell_class';
export const DYNAMICS_TABLE = 'dynamics';
const KEYS = new Set(['id', 'experiment_id', 'cell_id', 'pair_id']);

const col = (name: string, kind: ColumnKind, nullable = true): ReleaseColumn => ({
  name,
  kind,
  nullable,
  primaryKey: false,
  references: null,
});

/** The fixed columns of `pairs`, their SQL and their meaning (SCHEMA.md takes the meanings from here). */
const FIXED: { column: ReleaseColumn; expr: string; doc: string }[] = [
  { column: col('experiment', 'text', false), expr: 'p.experiment_id', doc: 'experiment (site) id → experiment.id' },
  { column: col('pair_id', 'int', false), expr: 'p.id', doc: 'ordered pair → pair.id' },
  { column: col('pre_cell', 'text', false), expr: 'pre.ext_id', doc: 'presynaptic cell id within the site' },
  { column: col('post_cell', 'text', false), expr: 'post.ext_id', doc: 'postsynaptic cell id within the site' },
  { column: col('pre_cre_type', 'text'), expr: 'pre.cre_type', doc: 'presynaptic Cre line' },
  { column: col('post_cre_type', 'text'), expr: 'post.cre_type', doc: 'postsynaptic Cre line' },
  { column: col('pre_layer', 'text'), expr: 'pre.target_layer', doc: 'presynaptic cortical layer' },
  { column: col('post_layer', 'text'), expr: 'post.target_layer', doc: 'postsynaptic cortical layer' },
  { column: col('distance_um', 'float'), expr: 'p.distance_um', doc: 'intersomatic distance (µm)' },
  { column: col('n_samples', 'int', false), expr: 'cs.n_samples', doc: 'responses that passed QC and were analysed' },
  { column: col('synapse_type', 'text'), expr: 'cs.synapse_type', doc: "'ex' or 'in', from the sign of the response" },
  {
    column: col('detection_score', 'float'),
    expr: 'cs.detection_score',
    doc: '|Welch t| of template amplitudes against matched background (docs/science.md)',
  },
  {
    column: col('connected', 'bool', false),
    expr: `coalesce(cs.detection_score >= ${DETECTION_THRESHOLD}, false)`,
    doc: `detection_score ≥ ${DETECTION_THRESHOLD}`,
  },
  {
    column: col('amplitude', 'float'),
    expr: 'cs.fit_amplitude',
    doc: 'fitted first-pulse PSP amplitude, signed (V)',
  },
  { column: col('latency', 'float'), expr: 'cs.fit_latency', doc: 'fitted onset after the presynaptic spike (s)' },
  { column: col('rise_time', 'float'), expr: 'cs.fit_rise_time', doc: 'fitted onset to peak (s)' },
  { column: col('decay_tau', 'float'), expr: 'cs.fit_decay_tau', doc: 'fitted decay time constant (s)' },
  { column: col('fit_nrmse', 'float'), expr: 'cs.fit_nrmse', doc: 'fit residual RMS over data SD (1 = no fit)' },
];

export const PAIRS_DOCS: Record<string, string> = Object.fromEntries(FIXED.map((f) => [f.column.name, f.doc]));

/**
 * One row per tested pair (a `connection_strength` row with analysed responses): the pair, its
 * cells (class when `cell_class` exists), distance, detection and fit, and the `dynamics`
 * columns when that table exists (prefixed `dynamics_`).
 */
export async function pairsTable(em: Em, experiments: ExperimentFilter): Promise<ReleaseTable> {
  const optional = await existingTables(em, [CELL_CLASS_TABLE, DYNAMICS_TABLE]);
  const described = await tableColumns(em, [...optional]);
  const columns = FIXED.map((f) => f.column);
  const exprs = FIXED.map((f) => f.expr);
  const joins: string[] = [];
  const classCols = (described.get(CELL_CLASS_TABLE) ?? []).filter((c) => !KEYS.has(c.name) && c.kind === 'text');
  if (classCols.length && (described.get(CELL_CLASS_TABLE) ?? []).some((c) => c.name === 'cell_id')) {
    // A cell may belong to several classes: their names joined with ','.
    for (const side of ['pre', 'post'])
      for (const c of classCols) {
        columns.push(col(`${side}_${c.name === 'class' ? 'class' : `class_${c.name}`}`, 'text'));
        exprs.push(
          `(SELECT string_agg(DISTINCT cc."${c.name}", ',') FROM "${CELL_CLASS_TABLE}" cc WHERE cc.cell_id = ${side}.id)`,
        );
      }
  }
  const dynCols = (described.get(DYNAMICS_TABLE) ?? []).filter(
    (c) => !KEYS.has(c.name) && c.kind !== 'bytes' && c.kind !== 'json',
  );
  if (dynCols.length && (described.get(DYNAMICS_TABLE) ?? []).some((c) => c.name === 'pair_id')) {
    joins.push(`LEFT JOIN "${DYNAMICS_TABLE}" dyn ON dyn.pair_id = p.id`);
    for (const c of dynCols) {
      columns.push({ ...c, name: `dynamics_${c.name}`, nullable: true, primaryKey: false, references: null });
      exprs.push(`dyn."${c.name}"`);
    }
  }
  const select = exprs.map((e, i) => `${e} AS "${columns[i]!.name}"`).join(', ');
  const rows = await query<Record<string, unknown>>(
    em,
    sql`SELECT ${sql.raw(select)}
      FROM connection_strength cs JOIN pair p ON p.id = cs.pair_id
      JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id
      ${sql.raw(joins.join(' '))}
      WHERE cs.n_samples > 0 AND (${experiments}::text[] IS NULL OR p.experiment_id = ANY(${experiments}::text[]))
      ORDER BY p.experiment_id, p.id`,
  );
  return {
    name: 'pairs',
    columns,
    values: columns.map((c) => rows.map((r) => releaseValue(c, r[c.name]))),
    rows: rows.length,
  };
}
