import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { pipelineModules } from '../../src/modules/index.js';
import { validateAgainstTruth } from '../../src/views/validation.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRootWithNwb } from '../helpers/sample.js';

// The science test's sample set (same seed and shape) plus 5 voltage-clamp sweeps per cell:
// current clamp must come out as it does without them, and voltage clamp must meet the same targets.
describe('voltage clamp through a real update: stored apart, validated against the PSC truth', () => {
  let p: TestPipeline;
  let data: Awaited<ReturnType<typeof sampleRootWithNwb>>;
  const rows = async <T>(q: ReturnType<typeof sql>) => query<T>(p.db.orm.em.fork(), q);

  before(async () => {
    data = await sampleRootWithNwb({ slices: 3, sitesPerSlice: 2, cells: 6, seed: 11, voltageClampSweepsPerCell: 5 });
    p = await startTestPipeline([data.root], pipelineModules);
  });
  after(async () => {
    await p?.close();
  });

  it('every built-in module succeeds; VC recordings, responses and pairs land in their own rows', async () => {
    const progress = await p.update();
    assert.equal(progress.phase, 'done');
    for (const [module, counts] of Object.entries(progress.modules)) assert.equal(counts.failed, 0, `${module} failed`);
    const modes = await rows<{ clamp_mode: string; n: string; currents: string; access: string }>(
      sql`SELECT clamp_mode, count(*) AS n, count(baseline_current) AS currents, count(tp_access_resistance) AS access
        FROM recording GROUP BY clamp_mode ORDER BY clamp_mode`,
    );
    // 30 CC sweeps × 6 channels; 30 VC sweeps × (1 driven CC channel + 5 clamped).
    assert.deepEqual(
      modes.map((m) => [m.clamp_mode, Number(m.n), Number(m.currents), Number(m.access)]),
      [
        ['ic', 36 * 30 + 36 * 5, 0, 0],
        ['vc', 36 * 25, 36 * 25, 36 * 25],
      ],
    );
    const held = await rows<{ pass: string; hp: number; i: number }>(
      sql`SELECT count(*) FILTER (WHERE qc_pass) AS pass, avg(baseline_potential)::float8 AS hp, max(abs(baseline_current))::float8 AS i
        FROM recording WHERE clamp_mode = 'vc'`,
    );
    assert.ok(Math.abs(held[0]!.hp + 0.07) < 1e-6, `holding potential ${held[0]!.hp} V`);
    assert.ok(held[0]!.i < 200e-12, `holding current ${held[0]!.i} A`);
    assert.ok(Number(held[0]!.pass) > 0.9 * 36 * 25, 'VC recordings pass VC QC');
    // No table mixes the modes: CC measures only on CC windows, VC measures only on VC windows.
    const mixed = await rows<{ n: string }>(
      sql`SELECT count(*) AS n FROM pulse_response_strength s JOIN pulse_response pr ON pr.id = s.pulse_response_id
        JOIN recording r ON r.id = pr.recording_id WHERE r.clamp_mode <> 'ic'
        UNION ALL
        SELECT count(*) FROM pulse_response_vc_strength s JOIN pulse_response pr ON pr.id = s.pulse_response_id
        JOIN recording r ON r.id = pr.recording_id WHERE r.clamp_mode <> 'vc'`,
    );
    assert.deepEqual(
      mixed.map((m) => Number(m.n)),
      [0, 0],
    );
    const [vcStrength] = await rows<{ n: string }>(sql`SELECT count(*) AS n FROM pulse_response_vc_strength`);
    assert.ok(Number(vcStrength!.n) > 1000);
    const [pairs] = await rows<{ cc: string; vc: string }>(
      sql`SELECT (SELECT count(*) FROM connection_strength) AS cc, (SELECT count(*) FROM connection_strength_vc) AS vc`,
    );
    assert.deepEqual([Number(pairs!.cc), Number(pairs!.vc)], [180, 180]);
    const [intrinsic] = await rows<{ n: string }>(sql`SELECT count(*) AS n FROM intrinsic`);
    assert.equal(Number(intrinsic!.n), 36, 'intrinsic stays current clamp');
  });

  it('current clamp and voltage clamp each meet the detection, type, amplitude and latency targets', async () => {
    const v = await validateAgainstTruth(p.db.orm, data.truthDir);
    console.log(
      `# current clamp: ${JSON.stringify({ ...v, dynamics: undefined, connectivity: undefined, voltageClamp: undefined })}`,
    );
    console.log(`# voltage clamp: ${JSON.stringify(v.voltageClamp)}`);
    assert.equal(v.missingPredictions, 0);
    assert.ok(v.connections >= 20, `enough true connections (${v.connections})`);
    assert.ok(v.rocAuc >= 0.95, `CC ROC AUC ${v.rocAuc}`);
    assert.ok(v.synapseTypeAccuracy >= 0.95, `CC type accuracy ${v.synapseTypeAccuracy}`);
    assert.ok(v.medianAmplitudeErrorPct <= 15, `CC amplitude error ${v.medianAmplitudeErrorPct} %`);
    assert.ok(v.medianLatencyErrorMs <= 0.3, `CC latency error ${v.medianLatencyErrorMs} ms`);
    const vc = v.voltageClamp!;
    assert.ok(vc, 'a voltage-clamp section');
    assert.equal(vc.missingPredictions, 0);
    assert.equal(vc.connections, v.connections, 'the same true connections');
    assert.ok(vc.rocAuc >= 0.95, `VC ROC AUC ${vc.rocAuc}`);
    assert.ok(vc.synapseTypeAccuracy >= 0.95, `VC type accuracy ${vc.synapseTypeAccuracy}`);
    assert.ok(vc.medianAmplitudeErrorPct <= 15, `VC amplitude error ${vc.medianAmplitudeErrorPct} %`);
    assert.ok(vc.medianLatencyErrorMs <= 0.3, `VC latency error ${vc.medianLatencyErrorMs} ms`);
    assert.ok(vc.medianFitAmplitudePa! < 0, 'PSCs in A, mostly inward');
    assert.ok(Math.abs(vc.holdingPotentialMv! + 70) < 1e-6);
  });
});
