import type { Em } from '../db/orm.js';
import type { RawBuilder } from 'kysely';
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
const FIXED: { column: ReleaseColumn; expr: RawBuilder<unknown>; doc: string }[] = [
  {
    column: col('experiment', 'text', false),
    expr: sql.ref('p.experiment_id'),
    doc: 'experiment (site) id → experiment.id',
  },
  { column: col('pair_id', 'int', false), expr: sql.ref('p.id'), doc: 'ordered pair → pair.id' },
  { column: col('pre_cell', 'text', false), expr: sql.ref('pre.ext_id'), doc: 'presynaptic cell id within the site' },
  {
    column: col('post_cell', 'text', false),
    expr: sql.ref('post.ext_id'),
    doc: 'postsynaptic cell id within the site',
  },
  { column: col('pre_cre_type', 'text'), expr: sql.ref('pre.cre_type'), doc: 'presynaptic Cre line' },
  { column: col('post_cre_type', 'text'), expr: sql.ref('post.cre_type'), doc: 'postsynaptic Cre line' },
  { column: col('pre_layer', 'text'), expr: sql.ref('pre.target_layer'), doc: 'presynaptic cortical layer' },
  { column: col('post_layer', 'text'), expr: sql.ref('post.target_layer'), doc: 'postsynaptic cortical layer' },
  { column: col('distance_um', 'float'), expr: sql.ref('p.distance_um'), doc: 'intersomatic distance (µm)' },
  {
    column: col('n_samples', 'int', false),
    expr: sql.ref('cs.n_samples'),
    doc: 'responses that passed QC and were analysed',
  },
  {
    column: col('synapse_type', 'text'),
    expr: sql.ref('cs.synapse_type'),
    doc: "'ex' or 'in', from the sign of the response",
  },
  {
    column: col('detection_score', 'float'),
    expr: sql.ref('cs.detection_score'),
    doc: '|Welch t| of template amplitudes against matched background (docs/science.md)',
  },
  {
    column: col('connected', 'bool', false),
    expr: sql`coalesce(cs.detection_score >= ${DETECTION_THRESHOLD}, false)`,
    doc: `detection_score ≥ ${DETECTION_THRESHOLD}`,
  },
  {
    column: col('amplitude', 'float'),
    expr: sql.ref('cs.fit_amplitude'),
    doc: 'fitted first-pulse PSP amplitude, signed (V)',
  },
  {
    column: col('latency', 'float'),
    expr: sql.ref('cs.fit_latency'),
    doc: 'fitted onset after the presynaptic spike (s)',
  },
  { column: col('rise_time', 'float'), expr: sql.ref('cs.fit_rise_time'), doc: 'fitted onset to peak (s)' },
  { column: col('decay_tau', 'float'), expr: sql.ref('cs.fit_decay_tau'), doc: 'fitted decay time constant (s)' },
  {
    column: col('fit_nrmse', 'float'),
    expr: sql.ref('cs.fit_nrmse'),
    doc: 'fit residual RMS over data SD (1 = no fit)',
  },
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
  let joins = sql``;
  const classCols = (described.get(CELL_CLASS_TABLE) ?? []).filter((c) => !KEYS.has(c.name) && c.kind === 'text');
  if (classCols.length && (described.get(CELL_CLASS_TABLE) ?? []).some((c) => c.name === 'cell_id')) {
    // A cell may belong to several classes: their names joined with ','.
    for (const side of ['pre', 'post'])
      for (const c of classCols) {
        columns.push(col(`${side}_${c.name === 'class' ? 'class' : `class_${c.name}`}`, 'text'));
        exprs.push(
          sql`(SELECT string_agg(DISTINCT cc.${sql.ref(c.name)}, ',') FROM ${sql.table(CELL_CLASS_TABLE)} cc WHERE cc.cell_id = ${sql.ref(`${side}.id`)})`,
        );
      }
  }
  const dynCols = (described.get(DYNAMICS_TABLE) ?? []).filter(
    (c) => !KEYS.has(c.name) && c.kind !== 'bytes' && c.kind !== 'json',
  );
  if (dynCols.length && (described.get(DYNAMICS_TABLE) ?? []).some((c) => c.name === 'pair_id')) {
    joins = sql`LEFT JOIN ${sql.table(DYNAMICS_TABLE)} dyn ON dyn.pair_id = p.id`;
    for (const c of dynCols) {
      columns.push({ ...c, name: `dynamics_${c.name}`, nullable: true, primaryKey: false, references: null });
      exprs.push(sql.ref(`dyn.${c.name}`));
    }
  }
  // Names from the code and from the database's own column list, through sql.ref; values bound.
  const select = sql.join(exprs.map((e, i) => sql`${e} AS ${sql.ref(columns[i]!.name)}`));
  const rows = await query<Record<string, unknown>>(
    em,
    sql`SELECT ${select}
      FROM connection_strength cs JOIN pair p ON p.id = cs.pair_id
      JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id
      ${joins}
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
