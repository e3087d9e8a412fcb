import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { writeIcephysNwb, writeMiesNwb } from '../../src/nwb/writer/index.js';
import { writeSampleMetadata, type SampleSite } from '../../src/sample-data/metadata.js';
import { smallInput, tempDir } from '../nwb/fixtures.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';

/** A Python that can import pynwb, as the NWB reader tests find it. */
function pythonWithPynwb(): string | undefined {
  const candidates = [
    process.env.MPCTL_PYTHON,
    path.join(homedir(), '.cache/mpctl/pyenv/bin/python'),
    'python3',
  ].filter((p): p is string => Boolean(p));
  return candidates.find((py) => spawnSync(py, ['-c', 'import pynwb'], { stdio: 'ignore' }).status === 0);
}

type Case = { name: string; write(file: string, site: SampleSite): Promise<void> | void };

const CASES: Case[] = [
  { name: 'icephys-20k', write: (file) => writeIcephysNwb(smallInput(3), file, { seed: 3, compressionLevel: 1 }) },
  { name: 'mies-25k', write: (file) => writeMiesNwb(smallInput(4, 25000), file, { seed: 4, compressionLevel: 1 }) },
  {
    name: 'aborted-sweep',
    async write(file) {
      // The last sweep stops 30 % early: the writer stores NaN there, the reader trims it, the job succeeds.
      const input = smallInput(5);
      for (const c of input.sweeps.at(-1)!.channels) c.response.fill(Number.NaN, Math.floor(c.response.length * 0.7));
      await writeIcephysNwb(input, file, { seed: 5, compressionLevel: 1 });
    },
  },
];

// Bad files are the hostile-input corpus's business (test/faults/hostile-input.test.ts).
describe('dataset module on files from other writers, through a real update', () => {
  const py = pythonWithPynwb();
  const cases: Case[] = [...CASES];
  if (py) {
    cases.push({
      name: 'pynwb-10k',
      write(file) {
        const run = spawnSync(py, [path.join(process.cwd(), 'scripts/fixtures/make_pynwb_fixture.py'), file], {
          encoding: 'utf8',
        });
        assert.equal(run.status, 0, run.stderr);
      },
    });
  }
  const root = tempDir('dataset-input');
  const sites = writeSampleMetadata({
    out: root,
    slices: Math.ceil(cases.length / 2),
    sitesPerSlice: 2,
    cells: 3,
    seed: 5,
  });
  const caseOf = new Map<string, Case>();
  let p: TestPipeline;
  const jobs = () =>
    query<{
      module: string;
      job_id: string;
      status: string;
      error_type: string | null;
      error_message: string | null;
      source_file: string | null;
      attempts: number;
    }>(
      p.db.orm.em.fork(),
      sql`SELECT module, job_id, status, error_type, error_message, source_file, attempts FROM pipeline_job`,
    );
  const rowsOf = async (table: string, experiment: string) =>
    Number(
      (
        await query<{ n: string }>(
          p.db.orm.em.fork(),
          sql`SELECT count(*) AS n FROM ${sql.id(table)} WHERE experiment_id = ${experiment}`,
        )
      )[0]!.n,
    );
  const fileOf = (site: SampleSite) => path.join(site.dir, site.nwbFile);

  before(async () => {
    for (const [i, site] of sites.entries()) {
      const c = cases[i] ?? CASES[0]!;
      caseOf.set(site.experimentId, c);
      await c.write(fileOf(site), site);
    }
    p = await startTestPipeline([root]);
    await p.update();
  });
  after(async () => {
    await p?.close();
  });

  it('good files from every writer are imported, at their own sample rates', async () => {
    const records = await jobs();
    for (const site of sites) {
      const name = caseOf.get(site.experimentId)!.name;
      for (const module of ['dataset', ...p.registry.downstreamOf('dataset')]) {
        const r = records.find((j) => j.module === module && j.job_id === site.experimentId);
        assert.equal(r?.status, 'succeeded', `${name} ${module}: ${r?.error_message}`);
      }
      assert.ok((await rowsOf('recording', site.experimentId)) > 0, name);
      const rates = await query<{ sample_rate: number }>(
        p.db.orm.em.fork(),
        sql`SELECT DISTINCT sample_rate FROM recording WHERE experiment_id = ${site.experimentId}`,
      );
      const expected = { 'mies-25k': 25000, 'pynwb-10k': 10000 }[name] ?? 20000;
      assert.deepEqual(
        rates.map((r) => r.sample_rate),
        [expected],
        name,
      );
      if (name !== 'pynwb-10k')
        assert.ok((await rowsOf('pulse_response', site.experimentId)) > 0, `${name}: responses were cut`);
    }
  });

  it('the aborted sweep is kept, shortened to its recorded samples', async () => {
    const site = sites.find((s) => caseOf.get(s.experimentId)!.name === 'aborted-sweep')!;
    const n = await query<{ n_samples: number }>(
      p.db.orm.em.fork(),
      sql`SELECT DISTINCT n_samples FROM recording WHERE experiment_id = ${site.experimentId} ORDER BY n_samples`,
    );
    assert.deepEqual(
      n.map((r) => r.n_samples),
      [Math.floor(16000 * 0.7), 16000],
    );
  });
});
