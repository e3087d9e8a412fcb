import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { fromFloat32Bytes } from '../../src/db/float32.js';
import { query, sql } from '../../src/db/sql.js';
import { mpctl } from '../helpers/cli.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { devPython } from '../helpers/python-env.js';
import { sampleRootWithNwb } from '../helpers/sample.js';

const PYTEST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/python/test_export_roundtrip.py',
);

describe('mpctl export: releases for pandas, read back by pytest', () => {
  let p: TestPipeline;
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-export-'));
  const run = (args: string[]) => mpctl(cwd, [...args, '--database-url', p.db.url]);
  const rows = <T>(statement: Parameters<typeof query>[1]) => query<T>(p.db.orm.em.fork(), statement);

  before(async () => {
    const data = await sampleRootWithNwb({ slices: 1, sitesPerSlice: 2, cells: 4, seed: 5 });
    p = await startTestPipeline([data.root]);
    assert.equal((await p.update()).phase, 'done');
  });
  after(async () => {
    await p?.close();
  });

  it('writes parquet, sqlite and csv releases with SCHEMA.md and a manifest', async () => {
    for (const format of ['parquet', 'sqlite', 'csv']) {
      const r = await run(['export', '--format', format, '--out', format, '--json']);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const out = r.json();
      assert.equal(out.format, format);
      const manifest = JSON.parse(fs.readFileSync(path.join(cwd, format, 'manifest.json'), 'utf8'));
      assert.match(manifest.mpctl, /^\d+\.\d+\.\d+/);
      assert.deepEqual(
        manifest.modules.map((m: { name: string }) => m.name),
        p.registry.names,
      );
      assert.equal(manifest.jobs.connection_strength.succeeded, 2);
      const schema = fs.readFileSync(path.join(cwd, format, 'SCHEMA.md'), 'utf8');
      for (const t of out.tables as { name: string; file: string }[]) {
        assert.ok(fs.existsSync(path.join(cwd, format, t.file)), t.file);
        assert.match(schema, new RegExp(`## \`${t.name}\``));
      }
      assert.doesNotMatch(schema, /undocumented/, 'every column of the built-in tables is described');
      assert.match(schema, /little-endian IEEE-754 float32/);
    }
    const csvPairs = fs
      .readFileSync(path.join(cwd, 'csv', 'pairs.csv'), 'utf8')
      .trim()
      .split('\n');
    const [{ n }] = await rows<{ n: string }>(sql`SELECT count(*) AS n FROM connection_strength WHERE n_samples > 0`);
    assert.equal(csvPairs.length - 1, Number(n), 'one CSV line per tested pair, after the header');
  });

  it('pytest reads the parquet and sqlite releases back with the database values', async () => {
    const tables = Object.fromEntries(
      await Promise.all(
        [...p.registry.ordered.flatMap((m) => m.tables)].map(async (t) => {
          const [{ n }] = await rows<{ n: string }>(sql`SELECT count(*) AS n FROM ${sql.table(t)}`);
          const cols = await rows<{ column_name: string }>(
            sql`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${t} ORDER BY ordinal_position`,
          );
          return [t, { rows: Number(n), columns: cols.map((c) => c.column_name) }];
        }),
      ),
    );
    const pairs = await rows<Record<string, unknown>>(
      sql`SELECT p.id AS pair_id, p.experiment_id AS experiment, cs.detection_score, cs.fit_amplitude AS amplitude,
        cs.fit_latency AS latency, p.distance_um, coalesce(cs.detection_score >= 4, false) AS connected
        FROM connection_strength cs JOIN pair p ON p.id = cs.pair_id WHERE cs.n_samples > 0`,
    );
    assert.ok(pairs.length > 0);
    const averages = await rows<{ id: number; data: Uint8Array; window_start: number }>(
      sql`SELECT id, data, window_start FROM average_response ORDER BY id LIMIT 5`,
    );
    assert.ok(averages.length > 0, 'average_response has rows');
    const expected = path.join(cwd, 'expected.json');
    fs.writeFileSync(
      expected,
      JSON.stringify({
        parquet: path.join(cwd, 'parquet'),
        sqlite: path.join(cwd, 'sqlite'),
        tables,
        pairs,
        averages: averages.map((a) => ({ ...a, data: Array.from(fromFloat32Bytes(a.data)) })),
      }),
    );
    const python = devPython();
    try {
      execFileSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', PYTEST], {
        env: { ...process.env, MPCTL_EXPORT_EXPECTED: expected },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      assert.fail(`pytest failed:\n${e.stdout}\n${e.stderr}`);
    }
  });

  it('--experiment keeps one experiment; bad --tables and a used --out are usage errors that write nothing', async () => {
    const [{ id }] = await rows<{ id: string }>(sql`SELECT id FROM experiment ORDER BY id LIMIT 1`);
    const one = await run(['export', '--format', 'csv', '--out', 'one', '--experiment', id, '--json']);
    assert.equal(one.code, 0, one.stderr);
    const experiment = one.json().tables.find((t: { name: string }) => t.name === 'experiment');
    assert.equal(experiment.rows, 1);
    const bad = await run(['export', '--format', 'csv', '--out', 'bad', '--tables', 'nope', '--json']);
    assert.equal(bad.code, 2);
    assert.match(bad.json().error.message, /unknown table nope/);
    assert.ok(!fs.existsSync(path.join(cwd, 'bad')));
    const used = await run(['export', '--format', 'csv', '--out', 'one']);
    assert.equal(used.code, 2);
    assert.match(used.stderr, /not an empty folder/);
  });
});
