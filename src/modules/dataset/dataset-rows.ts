import type { SweepAnalysis } from '../../analysis/index.js';
import type { AnySchema, InsertRow } from '../../db/entity-rows.js';
import { toFloat32Bytes } from '../../db/float32.js';
import type { NwbChannel } from '../../nwb/index.js';
import { finiteOrNull } from '../../util/finite.js';
import type { ElectrodeRow } from './channel-map.js';
import type { BaselineSchema, PulseResponseSchema, RecordingSchema, StimPulseSchema } from './entities.js';

/** A row whose references to rows of this job are natural keys until the parents' ids are known. */
type Pending<S extends AnySchema, Refs extends string, Keys> = Omit<InsertRow<S>, Refs> & Keys;

/** Rows of the four dataset tables, keyed by natural keys until the parents' ids are known. */
export interface DatasetRows {
  recordings: (InsertRow<typeof RecordingSchema> & { key: string })[];
  stimPulses: Pending<typeof StimPulseSchema, 'recording', { key: string; recordingKey: string }>[];
  baselines: Pending<typeof BaselineSchema, 'recording', { key: string; recordingKey: string }>[];
  responses: Pending<
    typeof PulseResponseSchema,
    'stimPulse' | 'recording' | 'baseline',
    { stimPulseKey: string; recordingKey: string; baselineKey: string | null }
  >[];
}

export const newRows = (): DatasetRows => ({ recordings: [], stimPulses: [], baselines: [], responses: [] });

const recKey = (electrodeId: number, sweep: number) => `${electrodeId}/${sweep}`;

/**
 * Adds one analysed sweep. Only the response windows and the matched background snippets are
 * kept (as float32 bytes), never whole traces, so memory grows with windows, not with the file.
 */
export function addSweep(
  rows: DatasetRows,
  experimentId: string,
  analysis: SweepAnalysis,
  channels: Map<string, { channel: NwbChannel; electrode: ElectrodeRow; response: Float64Array }>,
  pairIds: Map<string, number>,
): void {
  const sweep = analysis.sweepNumber;
  const recordingPass = new Map<string, boolean>();
  for (const r of analysis.recordings) {
    const { channel, electrode } = channels.get(r.key)!;
    recordingPass.set(r.key, r.qcPass);
    rows.recordings.push({
      key: recKey(electrode.id, sweep),
      experiment: experimentId,
      electrode: electrode.id,
      cell: electrode.cell_id,
      sweepNumber: sweep,
      clampMode: channel.clampMode,
      sampleRate: r.rate,
      startTime: channel.startTime,
      nSamples: r.nSamples,
      stimulusDescription: channel.stimulusDescription || null,
      baselinePotential: finiteOrNull(r.baselinePotential),
      baselineCurrent: finiteOrNull(r.voltageClamp?.baselineCurrent),
      noiseSd: finiteOrNull(r.noiseSd),
      qcPass: r.qcPass,
      qcReasons: r.qcReasons,
      tpInputResistance: finiteOrNull(r.testPulse?.inputResistance ?? r.voltageClamp?.testPulse?.inputResistance),
      tpAccessResistance: finiteOrNull(r.voltageClamp?.testPulse?.accessResistance),
      tpTau: finiteOrNull(r.testPulse?.tau),
      tpBaseline: finiteOrNull(r.testPulse?.baseline),
    });
  }
  for (const s of analysis.stimPulses) {
    const { electrode, channel } = channels.get(s.key)!;
    const rate = channel.sampleRate;
    rows.stimPulses.push({
      key: `${recKey(electrode.id, sweep)}/${s.pulseNumber}`,
      recordingKey: recKey(electrode.id, sweep),
      experiment: experimentId,
      pulseNumber: s.pulseNumber,
      onsetIndex: s.pulse.start,
      onsetTime: s.onsetTime,
      amplitude: s.pulse.amplitude,
      duration: (s.pulse.stop - s.pulse.start) / rate,
      nSpikes: s.spike ? 1 : 0,
      spikeTime: s.spike?.maxSlopeTime ?? null,
      spikeOnsetTime: s.spike ? s.spike.onsetIndex / rate : null,
      spikePeak: s.spike?.peakValue ?? null,
      previousPulseDt: finiteOrNull(s.previousPulseDt),
    });
  }
  const baselineKeys = new Set<string>();
  for (const r of analysis.responses) {
    const pre = channels.get(r.pre)!;
    const post = channels.get(r.post)!;
    const pairId = pairIds.get(`${pre.electrode.id}/${post.electrode.id}`);
    // Electrodes without a cell have no pair: their windows are nobody's responses.
    if (pairId === undefined) continue;
    const postRec = recKey(post.electrode.id, sweep);
    let baseline: string | null = null;
    if (r.baselineChunk >= 0) {
      const chunk = analysis.quietChunks[r.baselineChunk]!;
      baseline = `${postRec}/${chunk.start}`;
      if (!baselineKeys.has(baseline)) {
        baselineKeys.add(baseline);
        rows.baselines.push({
          key: baseline,
          recordingKey: postRec,
          experiment: experimentId,
          startIndex: chunk.start,
          sampleRate: post.channel.sampleRate,
          data: toFloat32Bytes(post.response.subarray(chunk.start, chunk.stop)),
          qcPass: recordingPass.get(r.post) ?? false,
        });
      }
    }
    rows.responses.push({
      stimPulseKey: `${recKey(pre.electrode.id, sweep)}/${r.pulseNumber}`,
      recordingKey: postRec,
      baselineKey: baseline,
      experiment: experimentId,
      pair: pairId,
      windowStart: r.window.start,
      sampleRate: post.channel.sampleRate,
      data: toFloat32Bytes(r.data),
      exQcPass: r.qc.exPass,
      inQcPass: r.qc.inPass,
      qcReasons: r.qc.reasons,
    });
  }
}
