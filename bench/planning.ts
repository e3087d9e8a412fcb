import type { Em } from '../src/db/orm.js';
import { execute, query, sql } from '../src/db/sql.js';
import { ModuleRegistry } from '../src/modules/registry.js';
import type { CandidateRow } from '../src/bookkeeping/job-records.js';
import { noopModules } from './support/noop-modules.js';
import { paramsHash } from '../src/planning/fingerprint.js';
import { planCandidates } from '../src/planning/planner.js';
import { createTestDatabase } from '../test/helpers/database.js';
import type { BenchRow } from './support/report.js';

const registry = new ModuleRegistry(noopModules);
const FINISHED = '2026-11-01T12:00:00.000Z';
const RAW = 'r0';

/** Job records for n experiments (n/10 slices) × 6 modules, all succeeded and up to date (each at its module's current version). */
async function seedRecords(em: Em, n: number): Promise<void> {
  const params = paramsHash(undefined);
  for (const m of registry.ordered.filter((m) => m.scope === 'slice')) {
    await execute(
      em,
      sql`INSERT INTO pipeline_job (module, job_id, status, finished_at, code_version, params_hash, raw_signature, upstream, attempts)
      SELECT ${m.name}, 's' || i, 'succeeded', ${FINISHED}::timestamptz, ${m.version}, ${params}, ${RAW}, '{}'::jsonb, 1
      FROM generate_series(0, ${Math.ceil(n / 10) - 1}::int) AS i`,
    );
  }
  for (const m of registry.ordered.filter((m) => m.scope === 'experiment')) {
    const upstream = Object.fromEntries(m.dependencies.map((dep) => [dep, { jobId: '§', finishedAt: FINISHED }]));
    await execute(
      em,
      sql`INSERT INTO pipeline_job (module, job_id, status, finished_at, code_version, params_hash, raw_signature, upstream, attempts)
      SELECT ${m.name}, 's' || (i / 10) || '/site_' || (i % 10), 'succeeded', ${FINISHED}::timestamptz, ${m.version}, ${params}, ${RAW},
             replace(${JSON.stringify(upstream)}, '§', CASE WHEN ${registry.get(m.dependencies[0]!).scope} = 'slice' THEN 's' || (i / 10) ELSE 's' || (i / 10) || '/site_' || (i % 10) END)::jsonb, 1
      FROM generate_series(0, ${n - 1}::int) AS i`,
    );
  }
  await execute(em, sql`ANALYZE pipeline_job`);
}

function candidates(n: number): Map<string, CandidateRow[]> {
  const map = new Map<string, CandidateRow[]>();
  const slices = Array.from({ length: Math.ceil(n / 10) }, (_, i) => `s${i}`);
  const experiments = Array.from({ length: n }, (_, i) => `s${Math.floor(i / 10)}/site_${i % 10}`);
  for (const m of registry.ordered) {
    const ids = m.scope === 'slice' ? slices : experiments;
    map.set(
      m.name,
      ids.map((jobId) => ({
        jobId,
        rawSignature: RAW,
        upstream: Object.fromEntries(m.dependencies.map((dep) => [dep, registry.upstreamJobId(m.name, dep, jobId)])),
      })),
    );
  }
  return map;
}

/** The approach the issue rules out, for contrast: two queries per candidate job. */
async function perJobLoop(em: Em, cands: Map<string, CandidateRow[]>): Promise<number> {
  let ready = 0;
  for (const [name, rows] of cands) {
    for (const row of rows) {
      const own = await query<{ status: string }>(
        em,
        sql`SELECT status FROM pipeline_job WHERE module = ${name} AND job_id = ${row.jobId}`,
      );
      const deps = Object.entries(row.upstream);
      const up = deps.length
        ? await query<{ status: string }>(
            em,
            sql`SELECT status FROM pipeline_job WHERE (module, job_id) IN (SELECT * FROM unnest(${deps.map((d) => d[0])}::text[], ${deps.map((d) => d[1])}::text[]))`,
          )
        : [];
      if (own.length === 0 && up.every((u) => u.status === 'succeeded')) ready++;
    }
  }
  return ready;
}

/** Ready-job computation over job records for 1k, 10k and 100k experiments × 6 modules. */
export async function benchPlanning(quick: boolean): Promise<{ rows: BenchRow[]; details: Record<string, unknown> }> {
  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const loopSizes = quick ? [1_000] : [1_000, 10_000];
  const seconds: Record<number, number> = {};
  const loopSeconds: Record<number, number> = {};
  for (const n of sizes) {
    const db = await createTestDatabase();
    try {
      const em = db.orm.em.fork();
      await seedRecords(em, n);
      const cands = candidates(n);
      await planCandidates({ orm: db.orm, registry }, candidates(Math.min(n, 100)), { modules: registry.names }); // warm up
      const t0 = performance.now();
      const plan = await planCandidates({ orm: db.orm, registry }, cands, { modules: registry.names });
      seconds[n] = (performance.now() - t0) / 1000;
      if (plan.jobs.length !== 0)
        throw new Error(`expected an up-to-date pipeline, planner found ${plan.jobs.length} ready jobs`);
      if (loopSizes.includes(n)) {
        const t1 = performance.now();
        await perJobLoop(db.orm.em.fork(), cands);
        loopSeconds[n] = (performance.now() - t1) / 1000;
      }
    } finally {
      await db.drop();
    }
  }
  const rows: BenchRow[] = sizes.map((n) => ({
    benchmark: 'planning',
    metric: `${n / 1000}k experiments × 6 modules`,
    unit: 's',
    mpctl: seconds[n],
    baseline: loopSeconds[n],
    baselineName: loopSeconds[n] ? 'query per job' : undefined,
    ratio: loopSeconds[n] ? loopSeconds[n] / seconds[n] : undefined,
    goal: n === 10_000 ? '≤ 1 s' : undefined,
    met: n === 10_000 ? seconds[n] <= 1 : undefined,
  }));
  const largest = sizes[sizes.length - 1];
  const growth = seconds[largest] / seconds[sizes[0]] / (largest / sizes[0]);
  rows.push({
    benchmark: 'planning',
    metric: `growth ${sizes[0] / 1000}k→${largest / 1000}k vs linear`,
    unit: '×',
    mpctl: growth,
    goal: 'close to 1',
    met: growth <= 1.5,
  });
  return { rows, details: { seconds, loopSeconds } };
}
