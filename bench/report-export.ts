import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { query, sql } from '../src/db/sql.js';
import { tableColumns } from '../src/export/columns.js';
import { exportRelease } from '../src/export/release.js';
import { resolveConfig } from '../src/config/config.js';
import { buildReport } from '../src/report/build-report.js';
import { startTestPipeline } from '../test/helpers/pipeline.js';
import { sampleRootWithNwb } from '../test/helpers/sample.js';
import type { BenchRow } from './support/report.js';

const OFFSET = 1_000_000;

/**
 * `copies` experiments from the analysed ones: every results row and job record copied with
 * its experiment id suffixed and its integer keys shifted, so the report and the export see
 * 100 experiments of real results without analysing 100 (the analysis is benchmarked elsewhere).
 */
async function replicate(em: Parameters<typeof query>[0], tables: string[], copies: number): Promise<void> {
  const cols = await tableColumns(em, tables);
  const order = ['experiment', ...tables.filter((t) => t !== 'experiment' && t !== 'slice')];
  for (let k = 1; k < copies; k++)
    for (const t of order) {
      const list = cols.get(t)!;
      const exprs = list.map((c) => {
        const ref = c.references?.split('.')[0];
        if ((t === 'experiment' && c.name === 'id') || c.name === 'experiment_id') return `"${c.name}" || '~${k}'`;
        if (c.kind === 'int' && (c.name === 'id' || (ref && ref !== 'slice'))) return `"${c.name}" + ${k * OFFSET}`;
        return `"${c.name}"`;
      });
      await em
        .getConnection()
        .execute(
          `INSERT INTO "${t}" (${list.map((c) => `"${c.name}"`).join(', ')}) SELECT ${exprs.join(', ')} FROM "${t}" WHERE ${
            t === 'experiment' ? 'id' : 'experiment_id'
          } NOT LIKE '%~%'`,
        );
    }
  await em.getConnection().execute(
    `INSERT INTO pipeline_job (module, job_id, status, code_version, reason, workflow_id, run_id, finished_at, attempts)
     SELECT module, job_id || '~' || k, status, code_version, reason, workflow_id, run_id, finished_at, attempts
     FROM pipeline_job, generate_series(1, ${copies - 1}) k WHERE module <> 'slice'`,
  );
}

/** Report build and export over 100 sample experiments: absolute figures against the goals; the export also as a ratio to only reading the same rows. */
export async function benchReportExport(
  quick: boolean,
): Promise<{ rows: BenchRow[]; details: Record<string, unknown> }> {
  const base = quick ? 2 : 4;
  const copies = quick ? 10 : 25;
  // A sample experiment as `mpctl sample-data` writes it by default (4 cells, 12 pairs); with
  // 8 cells (56 pairs) every figure grows about 4×, see bench/README.md.
  const cells = Number(process.env.MPCTL_BENCH_REPORT_CELLS ?? 4);
  const data = await sampleRootWithNwb({ slices: base / 2, sitesPerSlice: 2, cells, seed: 31 });
  const p = await startTestPipeline([data.root]);
  try {
    await p.update();
    const em = p.db.orm.em.fork();
    const tables = p.registry.ordered.flatMap((m) => m.tables);
    await replicate(em, tables, copies);
    const [{ n }] = await query<{ n: string }>(em, sql`SELECT count(*) AS n FROM experiment`);
    const experiments = Number(n);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-bench-report-'));
    const config = { ...resolveConfig({ databaseUrl: p.db.url, dataRoots: [] }), dataRoots: [] };
    const t0 = performance.now();
    const report = await buildReport(p.db.orm, p.registry, config, { out: path.join(dir, 'report') });
    const reportS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const release = await exportRelease(p.db.orm, p.registry, {
      format: 'parquet',
      out: path.join(dir, 'rel'),
      mpctlVersion: 'bench',
    });
    const exportS = (performance.now() - t1) / 1000;
    // Reference in the same run: only reading the same tables into Node (no encoding, no files).
    const readStart = performance.now();
    for (const t of tables) await em.getConnection().execute(`SELECT * FROM "${t}"`);
    const readS = (performance.now() - readStart) / 1000;
    const mb = report.bytes / 1e6;
    fs.rmSync(dir, { recursive: true, force: true });
    const label = `${experiments} experiments`;
    return {
      rows: [
        {
          benchmark: 'report',
          metric: `build, ${label}`,
          mpctl: reportS,
          unit: 's',
          goal: '≤ 30 s',
          met: reportS <= 30,
        },
        { benchmark: 'report', metric: `size, ${label}`, mpctl: mb, unit: 'MB', goal: '≤ 25 MB', met: mb <= 25 },
        {
          benchmark: 'export',
          metric: `parquet, ${label}`,
          mpctl: exportS,
          baseline: readS,
          baselineName: 'SELECT * of the same tables',
          ratio: readS / exportS,
          unit: 's',
          goal: '≤ 20 s',
          met: exportS <= 20,
        },
      ],
      details: {
        experiments,
        pages: report.pages,
        connections: report.connections,
        reportBytes: report.bytes,
        releaseBytes: release.bytes,
      },
    };
  } finally {
    await p.close();
  }
}
