import type { PairConnectivity, PulseAverage } from './pair-connectivity.js';
import { analyzePairs, PairAnalysisError, type PairTask } from './pair-analyses.js';
import { BadInputError } from '../../errors/index.js';
import { insertRows, type InsertRow } from '../../db/entity-rows.js';
import { query, sql } from '../../db/sql.js';
import { AverageResponseSchema, ConnectionStrengthSchema, ConnectionStrengthVcSchema } from './entities.js';
import { toFloat32Bytes } from '../../db/float32.js';
import type { ProcessContext, ProcessResult } from '../types.js';
import { pairResponses, type Holding } from './pair-responses.js';
import { mean } from '../../analysis/stats.js';
import { finiteOrNull } from '../../util/finite.js';

/** Analyses every ordered pair of the experiment; pairs without usable responses still get a row (n_samples 0). */
export async function processConnectionStrength({
  em,
  job,
  heartbeat,
  signal,
}: ProcessContext): Promise<ProcessResult> {
  const pairs = await query<{ id: number; pre: string; post: string }>(
    em,
    sql`SELECT p.id, pre.ext_id AS pre, post.ext_id AS post
    FROM pair p JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id
    WHERE p.experiment_id = ${job.jobId} ORDER BY p.id`,
  );
  const responses = await pairResponses(em, job.jobId);
  const vcResponses = await pairResponses(em, job.jobId, 'vc');
  const rows: ConnectionRow[] = [];
  const vcRows: VcRow[] = [];
  const averages: AverageRow[] = [];
  const plan = pairs.map((pair) => ({ pair, cc: responses.get(pair.id), vc: vcResponses.get(pair.id) }));
  // Every fit of the experiment at once, spread over the analysis threads; results come back in this order.
  const tasks: PairTask[] = plan.flatMap(({ cc, vc }) => [
    ...(cc ? [{ responses: cc.responses, rate: cc.rate }] : []),
    // Voltage clamp: the pair's VC responses alone, analysed as currents. (average_response stays current clamp.)
    ...(vc ? [{ responses: vc.responses, rate: vc.rate, options: { clampMode: 'vc' as const } }] : []),
  ]);
  const results = analyzePairs(tasks, signal);
  const next = async (pair: { pre: string; post: string }, mode: string) => {
    try {
      return (await results.next()).value as PairConnectivity | null;
    } catch (error) {
      // Deterministic: a retry would fail the same way. Named by site and pair, not retried.
      if (error instanceof PairAnalysisError)
        throw new BadInputError(
          job.dir,
          `cell ${pair.pre} → cell ${pair.post} (${mode}): analysis failed: ${error.message}`,
        );
      throw error;
    }
  };
  try {
    for (const [i, { pair, cc, vc }] of plan.entries()) {
      signal.throwIfAborted();
      heartbeat({ phase: 'connection_strength', pair: i + 1, of: pairs.length });
      const result = cc ? await next(pair, 'current clamp') : null;
      rows.push(connectionRow(job.jobId, pair.id, result));
      for (const a of result?.averages ?? []) averages.push(averageRow(job.jobId, pair.id, cc!.rate, a));
      if (vc) {
        const used = vc.responses.filter((r) => r.qc.exPass || r.qc.inPass).map((r) => r.holding);
        vcRows.push(vcRow(job.jobId, pair.id, await next(pair, 'voltage clamp'), used));
      }
    }
  } finally {
    // A failure above leaves fits queued or running: cancel them.
    await results.return(undefined);
  }
  await insertRows(em, ConnectionStrengthSchema, rows);
  await insertRows(em, AverageResponseSchema, averages);
  await insertRows(em, ConnectionStrengthVcSchema, vcRows);
  return {
    rows: {
      connection_strength: rows.length,
      average_response: averages.length,
      connection_strength_vc: vcRows.length,
    },
  };
}

type ConnectionRow = InsertRow<typeof ConnectionStrengthSchema>;
type AverageRow = InsertRow<typeof AverageResponseSchema>;
type VcRow = InsertRow<typeof ConnectionStrengthVcSchema>;

function vcRow(experiment: string, pair: number, r: PairConnectivity | null, holding: Holding[]): VcRow {
  const avg = (xs: (number | null)[]) => finiteOrNull(mean(xs.filter((x): x is number => x !== null)));
  const base = {
    experiment,
    pair,
    holdingPotential: avg(holding.map((h) => h.potential)),
    holdingCurrent: avg(holding.map((h) => h.current)),
  };
  if (!r) return { ...base, nSamples: 0, nBackground: 0 };
  return { ...base, ...pairMeasures(r) };
}

function averageRow(experiment: string, pair: number, rate: number, a: PulseAverage): AverageRow {
  return {
    experiment,
    pair,
    pulseNumber: a.pulseNumber,
    nAveraged: a.nAveraged,
    sampleRate: rate,
    windowStart: a.start,
    spikeTime: a.spikeTime,
    data: toFloat32Bytes(a.data),
    fitData: a.fit ? toFloat32Bytes(a.fit) : null,
  };
}

function connectionRow(experiment: string, pair: number, r: PairConnectivity | null): ConnectionRow {
  if (!r) return { experiment, pair, nSamples: 0, nBackground: 0 };
  return {
    experiment,
    pair,
    ...pairMeasures(r),
    decAmpTtestP: finiteOrNull(r.decAmp.ttestP),
    decAmpKsP: finiteOrNull(r.decAmp.ksP),
    decMeanTtestP: finiteOrNull(r.decMean.ttestP),
    decMeanKsP: finiteOrNull(r.decMean.ksP),
  };
}

/** What both clamp modes store of a pair's analysis (the CC row adds its extra tests). */
function pairMeasures(r: PairConnectivity) {
  return {
    synapseType: r.synapseType,
    detectionScore: finiteOrNull(r.detectionScore),
    detectionShift: finiteOrNull(r.detectionShift),
    detectionSe: finiteOrNull(r.detectionSe),
    signEvidence: finiteOrNull(r.signEvidence),
    nSamples: r.nResponses,
    nBackground: r.nBackground,
    ampMean: finiteOrNull(r.amp.mean),
    ampStdev: finiteOrNull(r.amp.stdev),
    bgAmpMean: finiteOrNull(r.amp.baseMean),
    bgAmpStdev: finiteOrNull(r.amp.baseStdev),
    ampTtestP: finiteOrNull(r.amp.ttestP),
    ampKsP: finiteOrNull(r.amp.ksP),
    latencyMean: finiteOrNull(r.latency.mean),
    latencyStdev: finiteOrNull(r.latency.stdev),
    decAmpMean: finiteOrNull(r.decAmp.mean),
    bgDecAmpMean: finiteOrNull(r.decAmp.baseMean),
    fitAmplitude: finiteOrNull(r.fit?.amplitude),
    fitLatency: finiteOrNull(r.fit?.latency),
    fitRiseTime: finiteOrNull(r.fit?.riseTime),
    fitDecayTau: finiteOrNull(r.fit?.decayTau),
    fitNrmse: finiteOrNull(r.fit?.nrmse),
    fitPulseAmplitudes: r.fit ? r.fit.amplitudes.map((a) => finiteOrNull(a)) : null,
  };
}
