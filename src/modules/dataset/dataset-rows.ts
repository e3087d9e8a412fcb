import type { SweepAnalysis } from '../../analysis/index.js';
import type { NwbChannel } from '../../nwb/index.js';
import type { ElectrodeRow } from './channel-map.js';
import { toFloat32Bytes } from './float32.js';
import { finiteOrNull } from '../../util/finite.js';

/** Rows of the four dataset tables, keyed by natural keys until the parents' ids are known. */
export interface DatasetRows {
  recordings: Record<string, unknown>[];
  stimPulses: Record<string, unknown>[];
  baselines: Record<string, unknown>[];
  responses: Record<string, unknown>[];
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
      experiment_id: experimentId,
      electrode_id: electrode.id,
      cell_id: electrode.cell_id,
      sweep_number: sweep,
      clamp_mode: channel.clampMode,
      sample_rate: r.rate,
      start_time: channel.startTime,
      n_samples: r.nSamples,
      stimulus_description: channel.stimulusDescription || null,
      baseline_potential: finiteOrNull(r.baselinePotential),
      noise_sd: finiteOrNull(r.noiseSd),
      qc_pass: r.qcPass,
      qc_reasons: r.qcReasons,
      tp_input_resistance: finiteOrNull(r.testPulse?.inputResistance),
      tp_tau: finiteOrNull(r.testPulse?.tau),
      tp_baseline: finiteOrNull(r.testPulse?.baseline),
    });
  }
  for (const s of analysis.stimPulses) {
    const { electrode, channel } = channels.get(s.key)!;
    const rate = channel.sampleRate;
    rows.stimPulses.push({
      key: `${recKey(electrode.id, sweep)}/${s.pulseNumber}`,
      recording: recKey(electrode.id, sweep),
      experiment_id: experimentId,
      pulse_number: s.pulseNumber,
      onset_index: s.pulse.start,
      onset_time: s.onsetTime,
      amplitude: s.pulse.amplitude,
      duration: (s.pulse.stop - s.pulse.start) / rate,
      n_spikes: s.spike ? 1 : 0,
      spike_time: s.spike?.maxSlopeTime ?? null,
      spike_onset_time: s.spike ? s.spike.onsetIndex / rate : null,
      spike_peak: s.spike?.peakValue ?? null,
      previous_pulse_dt: finiteOrNull(s.previousPulseDt),
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
          recording: postRec,
          experiment_id: experimentId,
          start_index: chunk.start,
          sample_rate: post.channel.sampleRate,
          data: toFloat32Bytes(post.response.subarray(chunk.start, chunk.stop)),
          qc_pass: recordingPass.get(r.post) ?? false,
        });
      }
    }
    rows.responses.push({
      stimPulse: `${recKey(pre.electrode.id, sweep)}/${r.pulseNumber}`,
      recording: postRec,
      baseline,
      experiment_id: experimentId,
      pair_id: pairId,
      window_start: r.window.start,
      sample_rate: post.channel.sampleRate,
      data: toFloat32Bytes(r.data),
      ex_qc_pass: r.qc.exPass,
      in_qc_pass: r.qc.inPass,
      qc_reasons: r.qc.reasons,
    });
  }
}
