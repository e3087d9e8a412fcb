import type { Em } from '../../db/orm.js';
import { bulkInsert } from '../../db/sql.js';
import type { DatasetRows } from './dataset-rows.js';

/** One bulk insert per table, parents first; children get their parents' ids through the natural keys. */
export async function insertDatasetRows(em: Em, rows: DatasetRows): Promise<Record<string, number>> {
  const recIds = new Map<string, number>();
  const recs = await bulkInsert(
    em,
    'recording',
    {
      experiment_id: 'text',
      electrode_id: 'int4',
      cell_id: 'int4',
      sweep_number: 'int4',
      clamp_mode: 'text',
      sample_rate: 'float8',
      start_time: 'float8',
      n_samples: 'int4',
      stimulus_description: 'text',
      baseline_potential: 'float8',
      noise_sd: 'float8',
      qc_pass: 'bool',
      qc_reasons: 'jsonb',
      tp_input_resistance: 'float8',
      tp_tau: 'float8',
      tp_baseline: 'float8',
    },
    rows.recordings,
    ['id', 'electrode_id', 'sweep_number'],
  );
  for (const r of recs) recIds.set(`${r.electrode_id}/${r.sweep_number}`, r.id as number);

  const pulseIds = new Map<string, number>();
  const pulses = await bulkInsert(
    em,
    'stim_pulse',
    {
      experiment_id: 'text',
      recording_id: 'int4',
      pulse_number: 'int4',
      onset_index: 'int4',
      onset_time: 'float8',
      amplitude: 'float8',
      duration: 'float8',
      n_spikes: 'int4',
      spike_time: 'float8',
      spike_onset_time: 'float8',
      spike_peak: 'float8',
      previous_pulse_dt: 'float8',
    },
    rows.stimPulses.map((s) => ({ ...s, recording_id: recIds.get(s.recording as string) })),
    ['id', 'recording_id', 'pulse_number'],
  );
  const recKeyOf = new Map([...recIds].map(([k, v]) => [v, k]));
  for (const p of pulses) pulseIds.set(`${recKeyOf.get(p.recording_id as number)}/${p.pulse_number}`, p.id as number);

  const baselineIds = new Map<string, number>();
  const baselines = await bulkInsert(
    em,
    'baseline',
    {
      experiment_id: 'text',
      recording_id: 'int4',
      start_index: 'int4',
      sample_rate: 'float8',
      data: 'bytea',
      qc_pass: 'bool',
    },
    rows.baselines.map((b) => ({ ...b, recording_id: recIds.get(b.recording as string) })),
    ['id', 'recording_id', 'start_index'],
  );
  for (const b of baselines)
    baselineIds.set(`${recKeyOf.get(b.recording_id as number)}/${b.start_index}`, b.id as number);

  await bulkInsert(
    em,
    'pulse_response',
    {
      experiment_id: 'text',
      stim_pulse_id: 'int4',
      pair_id: 'int4',
      recording_id: 'int4',
      baseline_id: 'int4',
      window_start: 'int4',
      sample_rate: 'float8',
      data: 'bytea',
      ex_qc_pass: 'bool',
      in_qc_pass: 'bool',
      qc_reasons: 'jsonb',
    },
    rows.responses.map((r) => ({
      ...r,
      stim_pulse_id: pulseIds.get(r.stimPulse as string),
      recording_id: recIds.get(r.recording as string),
      baseline_id: r.baseline ? baselineIds.get(r.baseline as string) : null,
    })),
  );
  return {
    recording: recs.length,
    stim_pulse: pulses.length,
    baseline: baselines.length,
    pulse_response: rows.responses.length,
  };
}
