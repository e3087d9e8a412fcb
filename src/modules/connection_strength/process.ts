import { setImmediate as tick } from 'node:timers/promises';
import { analyzePair, type PairConnectivity } from './pair-connectivity.js';
import { bulkInsert, query, sql } from '../../db/sql.js';
import type { ProcessContext, ProcessResult } from '../types.js';
import { pairResponses } from './pair-responses.js';
import { finiteOrNull } from '../../util/finite.js';

/** Analyses every ordered pair of the experiment; pairs without usable responses still get a row (n_samples 0). */
export async function processConnectionStrength({
  em,
  job,
  heartbeat,
  signal,
}: ProcessContext): Promise<ProcessResult> {
  const pairs = await query<{ id: number }>(
    em,
    sql`SELECT id FROM pair WHERE experiment_id = ${job.jobId} ORDER BY id`,
  );
  const responses = await pairResponses(em, job.jobId);
  const rows = [];
  for (const [i, pair] of pairs.entries()) {
    signal.throwIfAborted();
    heartbeat({ phase: 'connection_strength', pair: i + 1, of: pairs.length });
    const entry = responses.get(pair.id);
    const result = entry ? analyzePair(entry.responses, entry.rate) : null;
    rows.push(connectionRow(job.jobId, pair.id, result));
    // Each fit is synchronous CPU work: let heartbeats and cancellation through between pairs.
    await tick();
  }
  await bulkInsert(
    em,
    'connection_strength',
    {
      experiment_id: 'text',
      pair_id: 'int4',
      synapse_type: 'text',
      detection_score: 'float8',
      sign_evidence: 'float8',
      n_samples: 'int4',
      n_background: 'int4',
      amp_mean: 'float8',
      amp_stdev: 'float8',
      bg_amp_mean: 'float8',
      bg_amp_stdev: 'float8',
      amp_ttest_p: 'float8',
      amp_ks_p: 'float8',
      latency_mean: 'float8',
      latency_stdev: 'float8',
      dec_amp_mean: 'float8',
      bg_dec_amp_mean: 'float8',
      dec_amp_ttest_p: 'float8',
      dec_amp_ks_p: 'float8',
      dec_mean_ttest_p: 'float8',
      dec_mean_ks_p: 'float8',
      fit_amplitude: 'float8',
      fit_latency: 'float8',
      fit_rise_time: 'float8',
      fit_decay_tau: 'float8',
      fit_nrmse: 'float8',
      fit_pulse_amplitudes: 'jsonb',
    },
    rows,
  );
  return { rows: { connection_strength: rows.length } };
}

function connectionRow(experimentId: string, pairId: number, r: PairConnectivity | null): Record<string, unknown> {
  if (!r) return { experiment_id: experimentId, pair_id: pairId, n_samples: 0, n_background: 0 };
  return {
    experiment_id: experimentId,
    pair_id: pairId,
    synapse_type: r.synapseType,
    detection_score: finiteOrNull(r.detectionScore),
    sign_evidence: finiteOrNull(r.signEvidence),
    n_samples: r.nResponses,
    n_background: r.nBackground,
    amp_mean: finiteOrNull(r.amp.mean),
    amp_stdev: finiteOrNull(r.amp.stdev),
    bg_amp_mean: finiteOrNull(r.amp.baseMean),
    bg_amp_stdev: finiteOrNull(r.amp.baseStdev),
    amp_ttest_p: finiteOrNull(r.amp.ttestP),
    amp_ks_p: finiteOrNull(r.amp.ksP),
    latency_mean: finiteOrNull(r.latency.mean),
    latency_stdev: finiteOrNull(r.latency.stdev),
    dec_amp_mean: finiteOrNull(r.decAmp.mean),
    bg_dec_amp_mean: finiteOrNull(r.decAmp.baseMean),
    dec_amp_ttest_p: finiteOrNull(r.decAmp.ttestP),
    dec_amp_ks_p: finiteOrNull(r.decAmp.ksP),
    dec_mean_ttest_p: finiteOrNull(r.decMean.ttestP),
    dec_mean_ks_p: finiteOrNull(r.decMean.ksP),
    fit_amplitude: finiteOrNull(r.fit?.amplitude),
    fit_latency: finiteOrNull(r.fit?.latency),
    fit_rise_time: finiteOrNull(r.fit?.riseTime),
    fit_decay_tau: finiteOrNull(r.fit?.decayTau),
    fit_nrmse: finiteOrNull(r.fit?.nrmse),
    fit_pulse_amplitudes: r.fit ? r.fit.amplitudes.map((a) => finiteOrNull(a)) : null,
  };
}
