import { insertRows } from '../../db/entity-rows.js';
import type { Em } from '../../db/orm.js';
import type { DatasetRows } from './dataset-rows.js';
import { BaselineSchema, PulseResponseSchema, RecordingSchema, StimPulseSchema } from './entities.js';

/** One bulk insert per table, parents first; children get their parents' ids through the natural keys. */
export async function insertDatasetRows(em: Em, rows: DatasetRows): Promise<Record<string, number>> {
  const recs = await insertRows(em, RecordingSchema, rows.recordings, ['id', 'electrode', 'sweepNumber']);
  const recIds = new Map(recs.map((r) => [`${r.electrode}/${r.sweepNumber}`, r.id]));
  const recKeyOf = new Map([...recIds].map(([k, v]) => [v, k]));
  const recordingOf = (key: string) => recIds.get(key)!;

  const pulses = await insertRows(
    em,
    StimPulseSchema,
    rows.stimPulses.map(({ recordingKey, ...s }) => ({ ...s, recording: recordingOf(recordingKey) })),
    ['id', 'recording', 'pulseNumber'],
  );
  const pulseIds = new Map(pulses.map((p) => [`${recKeyOf.get(p.recording)}/${p.pulseNumber}`, p.id]));

  const baselines = await insertRows(
    em,
    BaselineSchema,
    rows.baselines.map(({ recordingKey, ...b }) => ({ ...b, recording: recordingOf(recordingKey) })),
    ['id', 'recording', 'startIndex'],
  );
  const baselineIds = new Map(baselines.map((b) => [`${recKeyOf.get(b.recording)}/${b.startIndex}`, b.id]));

  await insertRows(
    em,
    PulseResponseSchema,
    rows.responses.map(({ stimPulseKey, recordingKey, baselineKey, ...r }) => ({
      ...r,
      stimPulse: pulseIds.get(stimPulseKey)!,
      recording: recordingOf(recordingKey),
      baseline: baselineKey ? baselineIds.get(baselineKey)! : null,
    })),
  );
  return {
    recording: recs.length,
    stim_pulse: pulses.length,
    baseline: baselines.length,
    pulse_response: rows.responses.length,
  };
}
