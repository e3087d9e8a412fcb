// CPU of the connection_strength module's analysis (analyzePair: statistics, sign, detection
// score, train fit) per pair, with the robust fit (fitted onset exponent, shared baseline
// relaxation) against the same code with the previous model (smooth foot, flat baselines).
import {
  analyzePair,
  type FitOptions,
  type PairResponse,
} from '../src/modules/connection_strength/pair-connectivity.js';
import { simulateSite, type SimulationOptions } from '../src/sample-data/physiology/index.js';
import { siteResponses, simulatedSweeps } from '../test/helpers/site-analysis.js';
import { median, type BenchRow } from './support/report.js';

const PREVIOUS_MODEL: FitOptions = { onsetExponent: 2, baselineDrift: false };
const SHAPES: { name: string; options: SimulationOptions }[] = [
  { name: "today's sample data", options: {} },
  {
    name: 'mixed onsets, test pulse 10 ms before the train, τ 20–40 ms',
    options: { riseShapes: 'mixed', testPulseGap: 0.01, membraneTau: [0.02, 0.04] },
  },
];

/** CPU seconds (user + system) of this process: robust to other people's load, unlike wall time. */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export async function benchConnectionStrength(
  quick: boolean,
  sizes: { cells?: number; rounds?: number } = {},
): Promise<{ rows: BenchRow[]; details: Record<string, unknown> }> {
  const cells = sizes.cells ?? 6;
  const rounds = sizes.rounds ?? (quick ? 3 : 7);
  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {};
  for (const shape of SHAPES) {
    const site = simulateSite({ cells, seed: 11, ...shape.options });
    const sweeps = simulatedSweeps(site);
    const { rate, perPair } = siteResponses('bench', sweeps);
    const pairs: PairResponse[][] = [...perPair.values()];
    const run = (options: FitOptions) => {
      const t0 = cpuSeconds();
      for (const responses of pairs) analyzePair(responses, rate, options);
      return ((cpuSeconds() - t0) / pairs.length) * 1e3;
    };
    run({});
    run(PREVIOUS_MODEL);
    const robust: number[] = [];
    const previous: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so a burst of load does not always land on one side.
      if (r % 2) {
        previous.push(run(PREVIOUS_MODEL));
        robust.push(run({}));
      } else {
        robust.push(run({}));
        previous.push(run(PREVIOUS_MODEL));
      }
    }
    const mpctl = median(robust);
    const baseline = median(previous);
    rows.push({
      benchmark: 'connection-strength',
      metric: `analyzePair CPU per pair, ${shape.name}`,
      mpctl,
      baseline,
      baselineName: 'smooth foot, flat baselines',
      ratio: baseline / mpctl,
      unit: 'ms',
      note: `${pairs.length} pairs of ${cells} cells × ${site.sweeps.length} sweeps, ${rounds} alternating rounds, medians of process CPU`,
    });
    details[shape.name] = { pairs: pairs.length, robustMs: robust, previousModelMs: previous };
  }
  return { rows, details };
}
