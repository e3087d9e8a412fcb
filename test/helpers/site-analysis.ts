import { analyzeSweep, type SweepInput } from '../../src/analysis/analyze-sweep.js';
import { cellIntrinsic, type CellIntrinsic, type TestPulseFit } from '../../src/analysis/intrinsic.js';
import {
  analyzePair,
  type PairConnectivity,
  type PairResponse,
} from '../../src/modules/connection_strength/pair-connectivity.js';
import type { ResponseQcOptions } from '../../src/analysis/response-qc.js';
import type { SimulatedSite } from '../../src/sample-data/physiology/types.js';

export type SiteSweepInput = SweepInput;

/** A simulated site's sweeps as the analysis reads them from an NWB file (one channel per electrode). */
export function simulatedSweeps(site: SimulatedSite): SweepInput[] {
  return site.sweeps.map((s) => ({
    sweepNumber: s.sweepNumber,
    channels: s.channels.map((c) => ({
      key: c.electrode,
      rate: site.options.sampleRate,
      command: c.command,
      response: c.response,
    })),
  }));
}

export interface SiteAnalysis {
  cells: { key: string; intrinsic: CellIntrinsic }[];
  pairs: { pre: string; post: string; nResponses: number; result: PairConnectivity | null }[];
}

/**
 * The whole science path for one site, in memory: `analyzeSweep` per sweep (the dataset and
 * pulse_response steps), then intrinsic features per cell and connectivity per ordered pair
 * (the intrinsic and connection_strength steps). The pipeline modules run the same functions
 * one table at a time.
 */
export function analyzeSite(
  experimentId: string,
  sweeps: SweepInput[],
  qcOptions: ResponseQcOptions = {},
): SiteAnalysis {
  const { keys, rate, perCell, perPair } = siteResponses(experimentId, sweeps, qcOptions);
  return {
    cells: keys.map((key) => ({ key, intrinsic: cellIntrinsic(perCell.get(key) ?? []) })),
    pairs: keys.flatMap((pre) =>
      keys
        .filter((post) => post !== pre)
        .map((post) => {
          const responses = perPair.get(`${pre}\u0000${post}`) ?? [];
          return { pre, post, nResponses: responses.length, result: analyzePair(responses, rate) };
        }),
    ),
  };
}

/** The dataset and pulse_response steps of a site, in memory: per cell its recordings, per ordered pair (`pre\0post`) its responses. */
export function siteResponses(
  experimentId: string,
  sweeps: SweepInput[],
  qcOptions: ResponseQcOptions = {},
): {
  keys: string[];
  rate: number;
  perCell: Map<string, { baselinePotential: number; noiseSd: number; testPulse: TestPulseFit | null }[]>;
  perPair: Map<string, PairResponse[]>;
} {
  const perCell = new Map<string, { baselinePotential: number; noiseSd: number; testPulse: TestPulseFit | null }[]>();
  const perPair = new Map<string, PairResponse[]>();
  const keys = [...new Set(sweeps.flatMap((s) => s.channels.map((c) => c.key)))];
  let rate = 1;
  for (const sweep of sweeps) {
    const result = analyzeSweep(experimentId, sweep, qcOptions);
    for (const r of result.recordings) {
      rate = r.rate;
      perCell.set(r.key, [...(perCell.get(r.key) ?? []), r]);
    }
    for (const r of result.responses) {
      const key = `${r.pre}\u0000${r.post}`;
      const list = perPair.get(key) ?? [];
      list.push({
        sweep: sweep.sweepNumber,
        pulseNumber: r.pulseNumber,
        windowStart: r.window.start / rate,
        spikeTime: r.spikeTime,
        data: r.data,
        strength: r.strength,
        background: r.baseline,
        qc: r.qc,
      });
      perPair.set(key, list);
    }
  }
  return { keys, rate, perCell, perPair };
}
