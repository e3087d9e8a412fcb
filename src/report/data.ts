import { allJobRecords } from '../bookkeeping/job-records.js';
import type { MpctlConfig } from '../config/config.js';
import { fromFloat32Bytes } from '../db/float32.js';
import type { Orm } from '../db/orm.js';
import { query, sql } from '../db/sql.js';
import { existingTables, tableColumns } from '../export/columns.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { planUpdate } from '../planning/planner.js';
import { workflowUiUrl } from '../temporal/connection.js';
import { DETECTION_THRESHOLD } from '../views/connections.js';
import { connectivityGroups, probedWithDistance, type ConnectivityCell } from '../views/connectivity.js';
import { sliceOf } from '../workflow-safe/job-ids.js';

export const GRID_STATUSES = ['succeeded', 'failed', 'skipped', 'ready', 'running', 'waiting', 'cancelled'] as const;
export type GridStatus = (typeof GRID_STATUSES)[number];

export interface GridCell {
  experiment: string;
  module: string;
  jobId: string;
  status: GridStatus;
  message: string | null;
  errorType: string | null;
  link: string | null;
  finishedAt: string | null;
}

export interface PairRow {
  pairId: number;
  experiment: string;
  pre: string;
  post: string;
  preClass: string | null;
  postClass: string | null;
  distanceUm: number | null;
  nSamples: number;
  synapseType: string | null;
  score: number | null;
  connected: boolean;
  amplitude: number | null;
  latency: number | null;
  riseTime: number | null;
  decayTau: number | null;
  nrmse: number | null;
  pulseAmplitudes: (number | null)[] | null;
  dynamics: Record<string, unknown> | null;
}

/** A pair whose postsynaptic cell was held in voltage clamp (`connection_strength_vc`): currents, never mixed with `pairs`. */
export type VoltageClampPairRow = Pick<
  PairRow,
  'experiment' | 'pre' | 'post' | 'nSamples' | 'synapseType' | 'score' | 'connected' | 'latency'
> & {
  /** Fitted first-pulse PSC amplitude (A), inward < 0. */
  amplitude: number | null;
  /** Mean holding command of the recordings used (V). */
  holdingPotential: number | null;
};

export interface CellRow {
  experiment: string;
  cellId: number;
  extId: string;
  creType: string | null;
  layer: string | null;
  cellClass: string | null;
  restingPotential: number | null;
  inputResistance: number | null;
  membraneTau: number | null;
}

export interface RecordingQc {
  experiment: string;
  recordings: number;
  passed: number;
  meanNoiseSd: number | null;
}

export interface Average {
  pulseNumber: number;
  sampleRate: number;
  windowStart: number;
  spikeTime: number;
  data: Float32Array;
  fit: Float32Array | null;
}

export interface ReportData {
  generatedAt: string;
  lastUpdate: string | null;
  modules: { name: string; version: string; dependencies: string[]; scope: string }[];
  experiments: string[];
  grid: GridCell[];
  cells: CellRow[];
  qc: RecordingQc[];
  pairs: PairRow[];
  voltageClampPairs: VoltageClampPairRow[];
  hasClasses: boolean;
  /** The class matrix as `mpctl connectivity` computes it, and its probed pairs; null without classes. */
  connectivity: ReportConnectivity | null;
  hasDynamics: boolean;
  /** Averages of one pair, loaded when its page is written (keeps memory flat for large reports). */
  averages(pairId: number): Promise<Average[]>;
}

export interface ReportConnectivity {
  classes: string[];
  matrix: ConnectivityCell[];
  /** Every probed pair once, with its lateral distance (µm): the distance plot and its fit. */
  probed: { distance: number; connected: boolean }[];
}

/** The class column of `cell_class` (another module's table), when it has one keyed by cell. */
async function classColumn(orm: Orm): Promise<string | null> {
  const em = orm.em.fork();
  if (!(await existingTables(em, ['cell_class'])).has('cell_class')) return null;
  const cols = (await tableColumns(em, ['cell_class'])).get('cell_class') ?? [];
  if (!cols.some((c) => c.name === 'cell_id')) return null;
  const text = cols.filter((c) => c.kind === 'text' && !c.name.endsWith('_id'));
  return (text.find((c) => /class|name/.test(c.name)) ?? text[0])?.name ?? null;
}

/** Everything the report's pages show, in a handful of set-based queries. */
export async function loadReportData(
  orm: Orm,
  registry: ModuleRegistry,
  config: MpctlConfig,
  only: string[] | null,
): Promise<ReportData> {
  const em = orm.em.fork();
  const filter = only?.length ? only : null;
  const jobs = await allJobRecords(em);
  const byKey = new Map(jobs.map((j) => [`${j.module}\u0000${j.job_id}`, j]));
  const plan = config.dataRoots.length
    ? await planUpdate(
        { orm, registry, dataRoots: config.dataRoots, settle: config.settle },
        { modules: registry.names },
      )
    : { jobs: [] };
  const ready = new Set(plan.jobs.map((j) => `${j.module}\u0000${j.jobId}`));
  const experimentScoped = new Set(registry.ordered.filter((m) => m.scope === 'experiment').map((m) => m.name));
  const ids = new Set<string>((await query<{ id: string }>(em, sql`SELECT id FROM experiment`)).map((r) => r.id));
  for (const j of [...jobs.map((r) => ({ module: r.module, jobId: r.job_id })), ...plan.jobs])
    if (experimentScoped.has(j.module)) ids.add(j.jobId);
  const experiments = [...ids].filter((e) => !filter || filter.includes(e)).sort();

  const grid: GridCell[] = [];
  for (const experiment of experiments)
    for (const m of registry.ordered) {
      const jobId = m.scope === 'slice' ? sliceOf(experiment) : experiment;
      const key = `${m.name}\u0000${jobId}`;
      const rec = byKey.get(key);
      const status: GridStatus = ready.has(key)
        ? 'ready'
        : rec && (GRID_STATUSES as readonly string[]).includes(rec.status)
          ? (rec.status as GridStatus)
          : 'waiting';
      grid.push({
        experiment,
        module: m.name,
        jobId,
        status,
        message: rec?.status === 'failed' || rec?.status === 'skipped' ? rec.error_message : null,
        errorType: rec?.error_type ?? null,
        link: rec?.workflow_id ? (workflowUiUrl(config, rec.workflow_id, rec.run_id ?? undefined) ?? null) : null,
        finishedAt: rec?.finished_at ? new Date(rec.finished_at).toISOString() : null,
      });
    }
  const finished = jobs.map((j) => j.finished_at).filter((d): d is Date => Boolean(d));
  const lastUpdate = finished.length ? new Date(Math.max(...finished.map((d) => +new Date(d)))).toISOString() : null;

  const cls = await classColumn(orm);
  const classOf = (alias: 'c' | 'pre' | 'post') =>
    cls
      ? sql`(SELECT string_agg(DISTINCT cc.${sql.ref(cls)}, ',') FROM cell_class cc WHERE cc.cell_id = ${sql.ref(`${alias}.id`)})`
      : sql`NULL::text`;
  const cells = await query<CellRow>(
    em,
    sql`SELECT c.experiment_id AS experiment, c.id AS "cellId", c.ext_id AS "extId", c.cre_type AS "creType",
      c.target_layer AS layer, ${classOf('c')} AS "cellClass", i.resting_potential AS "restingPotential",
      i.input_resistance AS "inputResistance", i.membrane_tau AS "membraneTau"
      FROM cell c LEFT JOIN intrinsic i ON i.cell_id = c.id
      WHERE ${filter}::text[] IS NULL OR c.experiment_id = ANY(${filter}::text[])
      ORDER BY c.experiment_id, c.ext_id`,
  );
  const qc = await query<RecordingQc>(
    em,
    sql`SELECT experiment_id AS experiment, count(*)::int AS recordings, count(*) FILTER (WHERE qc_pass)::int AS passed,
      avg(noise_sd) FILTER (WHERE clamp_mode = 'ic') AS "meanNoiseSd" FROM recording
      WHERE ${filter}::text[] IS NULL OR experiment_id = ANY(${filter}::text[]) GROUP BY experiment_id`,
  );
  const hasDynamics = (await existingTables(em, ['dynamics'])).has('dynamics');
  const dynamics = hasDynamics
    ? new Map(
        (await query<Record<string, unknown>>(em, sql`SELECT * FROM dynamics`)).map((r) => [Number(r.pair_id), r]),
      )
    : new Map<number, Record<string, unknown>>();
  const pairs = (
    await query<Omit<PairRow, 'connected' | 'dynamics'>>(
      em,
      sql`SELECT p.id AS "pairId", p.experiment_id AS experiment, pre.ext_id AS pre, post.ext_id AS post,
      ${classOf('pre')} AS "preClass", ${classOf('post')} AS "postClass", p.distance_um AS "distanceUm",
      cs.n_samples AS "nSamples", cs.synapse_type AS "synapseType", cs.detection_score AS score,
      cs.fit_amplitude AS amplitude, cs.fit_latency AS latency, cs.fit_rise_time AS "riseTime",
      cs.fit_decay_tau AS "decayTau", cs.fit_nrmse AS nrmse, cs.fit_pulse_amplitudes AS "pulseAmplitudes"
      FROM connection_strength cs JOIN pair p ON p.id = cs.pair_id
      JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id
      WHERE cs.n_samples > 0 AND (${filter}::text[] IS NULL OR p.experiment_id = ANY(${filter}::text[]))
      ORDER BY p.experiment_id, pre.ext_id, post.ext_id`,
    )
  ).map((p) => ({
    ...p,
    connected: (p.score ?? 0) >= DETECTION_THRESHOLD,
    dynamics: dynamics.get(p.pairId) ?? null,
  }));
  const voltageClampPairs = (
    await query<Omit<VoltageClampPairRow, 'connected'>>(
      em,
      sql`SELECT vc.experiment_id AS experiment, pre.ext_id AS pre, post.ext_id AS post, vc.n_samples AS "nSamples",
      vc.synapse_type AS "synapseType", vc.detection_score AS score, vc.fit_amplitude AS amplitude,
      vc.fit_latency AS latency, vc.holding_potential AS "holdingPotential"
      FROM connection_strength_vc vc JOIN pair p ON p.id = vc.pair_id
      JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id
      WHERE vc.n_samples > 0 AND (${filter}::text[] IS NULL OR p.experiment_id = ANY(${filter}::text[]))
      ORDER BY p.experiment_id, pre.ext_id, post.ext_id`,
    )
  ).map((p) => ({ ...p, connected: (p.score ?? 0) >= DETECTION_THRESHOLD }));
  let connectivity: ReportConnectivity | null = null;
  if (cls !== null) {
    const groups = await connectivityGroups(orm, 'class', filter ?? undefined);
    connectivity = { classes: groups.classes, matrix: groups.matrix, probed: probedWithDistance(groups.probedPairs) };
  }
  return {
    generatedAt: new Date().toISOString(),
    lastUpdate,
    modules: registry.ordered.map((m) => ({
      name: m.name,
      version: m.version,
      dependencies: m.dependencies,
      scope: m.scope,
    })),
    experiments,
    grid,
    cells,
    qc,
    pairs,
    voltageClampPairs,
    hasClasses: cls !== null,
    connectivity,
    hasDynamics,
    async averages(pairId) {
      const rows = await query<{
        pulse_number: number;
        sample_rate: number;
        window_start: number;
        spike_time: number;
        data: Uint8Array;
        fit_data: Uint8Array | null;
      }>(
        orm.em.fork(),
        sql`SELECT pulse_number, sample_rate, window_start, spike_time, data, fit_data FROM average_response
          WHERE pair_id = ${pairId} ORDER BY pulse_number`,
      );
      return rows.map((r) => ({
        pulseNumber: r.pulse_number,
        sampleRate: r.sample_rate,
        windowStart: r.window_start,
        spikeTime: r.spike_time,
        data: fromFloat32Bytes(r.data),
        fit: r.fit_data ? fromFloat32Bytes(r.fit_data) : null,
      }));
    },
  };
}
