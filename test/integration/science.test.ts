import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHIPPED_MODULES } from '../../src/external/discover.js';
import { externalModule, type ExternalSettings } from '../../src/external/external-module.js';
import { readOnlyUrl } from '../../src/external/load-registry.js';
import { readManifest } from '../../src/external/manifest.js';
import { ensureModuleEnv } from '../../src/external/python-env.js';
import { syncExternalTables } from '../../src/external/sync-tables.js';
import { createRegistry, pipelineModules } from '../../src/modules/index.js';
import { connectionSummary } from '../../src/views/connections.js';
import { connectivityMatrix } from '../../src/views/connectivity.js';
import { validateAgainstTruth } from '../../src/views/validation.js';
import { WorkflowNames, type DropResultsResult } from '../../src/workflow-safe/workflow-types.js';
import { mpctl } from '../helpers/cli.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRootWithNwb } from '../helpers/sample.js';

// The modules and tables come from the registry, so a new module is covered without editing this test.
// The shipped external module `dynamics` (Python) runs with them, through the same runner a lab's module uses.
const dynamics = readManifest(path.join(SHIPPED_MODULES, 'dynamics', 'module.yml'));
const settings: ExternalSettings = {
  moduleDatabaseUrl: '',
  resultsRoot: fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-results-')),
  binDirs: async (m) => [(await ensureModuleEnv(m.dir, m.pythonRequirements!)).binDir],
};
const modules = [...pipelineModules, externalModule(dynamics, settings)];
const registry = createRegistry(modules);
const SCIENCE_MODULES = ['dataset', ...registry.downstreamOf('dataset')];
const DATASET_TABLES = registry.get('dataset').tables;
const DOWNSTREAM_TABLES = registry.downstreamOf('dataset').flatMap((m) => registry.get(m).tables);

describe('science modules: sample NWB through a real update, validated against the ground truth', () => {
  let p: TestPipeline;
  let data: Awaited<ReturnType<typeof sampleRootWithNwb>>;
  const count = async (table: string) =>
    Number((await query<{ n: string }>(p.db.orm.em.fork(), sql`SELECT count(*) AS n FROM ${sql.id(table)}`))[0]!.n);
  const counts = async (tables: string[]) =>
    Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)])));

  before(async () => {
    data = await sampleRootWithNwb({ slices: 3, sitesPerSlice: 2, cells: 6, seed: 11 });
    p = await startTestPipeline([data.root], modules);
    settings.moduleDatabaseUrl = readOnlyUrl({ databaseUrl: p.db.url });
    await syncExternalTables(p.db.url, [dynamics]);
  });
  after(async () => {
    await p?.close();
  });

  it('every module succeeds for every experiment', async () => {
    const progress = await p.update();
    assert.equal(progress.phase, 'done');
    for (const module of SCIENCE_MODULES)
      assert.deepEqual(progress.modules[module], { planned: 6, succeeded: 6, failed: 0, skipped: 0 }, module);
    assert.equal(await count('recording'), 6 * 6 * 30);
    assert.equal(await count('intrinsic'), 36);
    assert.equal(await count('connection_strength'), 6 * 30);
    assert.ok((await count('pulse_response')) > 1000);
    const [{ bytes }] = await query<{ bytes: number }>(
      p.db.orm.em.fork(),
      sql`SELECT min(octet_length(data)) AS bytes FROM pulse_response`,
    );
    assert.ok(bytes > 4 * 100, 'pulse_response samples are stored as float32 bytes');
    const timing = await query<{ module: string; ms: number }>(
      p.db.orm.em.fork(),
      sql`SELECT module, avg(duration_ms)::float8 AS ms FROM pipeline_job GROUP BY module ORDER BY module`,
    );
    console.log(
      `# mean job duration (ms, 4 experiments at once on this machine): ${timing.map((t) => `${t.module} ${Math.round(t.ms)}`).join(', ')}`,
    );
  });

  it('the results match the ground truth (detection, type, amplitude, latency)', async () => {
    const v = await validateAgainstTruth(p.db.orm, data.truthDir);
    console.log(`# validation: ${JSON.stringify(v)}`);
    assert.equal(v.experimentsMissing, 0);
    assert.equal(v.missingPredictions, 0);
    assert.equal(v.pairs, 180);
    assert.ok(v.connections >= 20, `enough true connections to judge (${v.connections})`);
    assert.ok(v.rocAuc >= 0.95, `ROC AUC ${v.rocAuc}`);
    assert.ok(v.synapseTypeAccuracy >= 0.95, `type accuracy ${v.synapseTypeAccuracy}`);
    assert.ok(v.medianAmplitudeErrorPct <= 15, `amplitude error ${v.medianAmplitudeErrorPct} %`);
    assert.ok(v.medianLatencyErrorMs <= 0.3, `latency error ${v.medianLatencyErrorMs} ms`);
    const d = v.dynamics!;
    assert.ok(
      d && d.compared >= 10,
      `dynamics rows for the detected true connections (${d?.compared} of ${d?.connections})`,
    );
    assert.ok(d.plasticityAccuracy! >= 0.9, `depressing/facilitating accuracy ${d.plasticityAccuracy}`);
    assert.ok(d.medianPprError! <= 0.15, `paired-pulse ratio error ${d.medianPprError}`);
    const summary = await connectionSummary(p.db.orm);
    console.log(
      `# connections found: ${summary.connections.length} of ${summary.pairsTested} tested (true: ${v.connections})`,
    );
    assert.ok(summary.connections.length > 0 && summary.connections.length <= summary.pairsTested);
  });

  it('connectivity by class: the JSON shape, consistent counts, and intervals that cover the truth', async () => {
    const m = await connectivityMatrix(p.db.orm);
    // What a user's script reads: the CLI's --json, not just the query behind it.
    const cli = await mpctl(os.tmpdir(), ['connectivity', '--json', '--database-url', p.db.url]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(
      cli.json(),
      JSON.parse(JSON.stringify(m)),
      'connectivity --json prints the matrix as the query gives it',
    );
    assert.deepEqual(Object.keys(m).sort(), ['classes', 'detectionCorrection', 'matrix']);
    assert.deepEqual(m.classes, ['L2/3 Pyr', 'L5 Pyr', 'Pvalb', 'Sst', 'Vip']);
    assert.equal(m.matrix.length, 25);
    for (const c of m.matrix) {
      for (const key of ['pre', 'post', 'probed', 'connected', 'probability', 'ciLow', 'ciHigh', 'pmax', 'sigma'])
        assert.ok(key in c, key);
      assert.ok(c.connected <= c.probed);
      if (c.probed) assert.ok(c.ciLow <= c.probability! && c.probability! <= c.ciHigh);
    }
    // 20 connections found: too few to fit the detection-power correction, so none is applied
    // (the large-set figures in docs/science.md measure it; test/analysis/detection-power.test.ts holds it).
    assert.deepEqual(m.detectionCorrection, { ex: null, in: null, all: null });
    for (const c of m.matrix) {
      assert.equal(c.detectionPower, null);
      assert.equal(c.pmax, c.pmaxDetected);
    }
    // The same columns with the floor lowered: what a larger archive gets, end to end from the rows.
    const low = await connectivityMatrix(p.db.orm, 'class', 10);
    assert.ok(low.detectionCorrection.all!.n >= 10, JSON.stringify(low.detectionCorrection));
    assert.ok(low.detectionCorrection.all!.variability > 0);
    for (const c of low.matrix.filter((x) => x.probed)) {
      assert.ok(c.detectionPower! > 0 && c.detectionPower! <= 1, `power ${c.detectionPower}`);
      if (c.connected) assert.ok(c.probabilityCorrected! >= c.probability!, `${c.pre} → ${c.post}`);
    }
    assert.ok(m.matrix.reduce((s, c) => s + c.probed, 0) > 150, 'nearly every pair is probed');
    const v = (await validateAgainstTruth(p.db.orm, data.truthDir)).connectivity!;
    console.log(`# connectivity: ${JSON.stringify({ ...v, classPairs: v.classPairs.length })}`);
    // Detection misses small connections, never finds more than exist, and the oracle fit sees the truth.
    assert.ok(v.sensitivity! > 0.5 && v.sensitivity! <= 1, `sensitivity ${v.sensitivity}`);
    assert.equal(v.meanDetectionPower, null);
    for (const c of v.classPairs) {
      assert.ok(c.detectedTrue <= Math.min(c.trueConnected, c.connected), `${c.pre} → ${c.post}`);
      if (c.probed >= 2)
        assert.equal(c.oraclePmax === null, c.trueConnected === 0, `${c.pre} → ${c.post}: oracle fit iff connected`);
    }
    const covered = v.classPairs.filter((c) => c.covered).length;
    assert.ok(covered >= 0.8 * v.classPairs.length, `${covered} of ${v.classPairs.length} class pairs covered`);
  });

  it('re-running dataset replaces its rows and those downstream instead of adding to them', async () => {
    const before = await counts([...DATASET_TABLES, ...DOWNSTREAM_TABLES]);
    const progress = await p.update({
      modules: SCIENCE_MODULES,
      experimentIds: data.experiments.slice(0, 2),
      force: true,
    });
    assert.deepEqual(progress.modules.dataset, { planned: 2, succeeded: 2, failed: 0, skipped: 0 });
    assert.deepEqual(await counts([...DATASET_TABLES, ...DOWNSTREAM_TABLES]), before);
  });

  it("drop dataset removes the dataset rows and every downstream module's rows, nothing upstream", async () => {
    const result = (await p.client.workflow.execute(WorkflowNames.dropResults, {
      taskQueue: p.taskQueue,
      workflowId: 'drop/science-1',
      args: [{ dropId: 'science-1', module: 'dataset' }],
    })) as DropResultsResult;
    assert.deepEqual(Object.keys(result.modules).sort(), [...SCIENCE_MODULES].sort());
    for (const table of [...DATASET_TABLES, ...DOWNSTREAM_TABLES]) assert.equal(await count(table), 0, table);
    assert.equal(await count('pair'), 180);
  });
});
