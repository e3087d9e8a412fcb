import { Flags } from '@oclif/core';
import { withOrm } from '../../schema/with-orm.js';
import { DETECTION_THRESHOLD } from '../../views/connections.js';
import {
  connectivityMatrix,
  MIN_FOUND_FOR_CORRECTION,
  MIN_PROBED_SPIKES,
  type ConnectivityMatrix,
  type GroupBy,
} from '../../views/connectivity.js';
import { MpctlCommand } from '../base-command.js';
import { table } from '../table.js';

export default class Connectivity extends MpctlCommand<typeof Connectivity> {
  static override summary =
    'Connection probability by (pre, post) cell class, with its 95 % interval and distance fit.';
  static override description = `A pair counts as probed with at least ${MIN_PROBED_SPIKES} QC-passed presynaptic spikes of the pre class's sign (postsynaptic recording QC included), and as connected with a detection score of at least ${DETECTION_THRESHOLD}. The interval is Clopper–Pearson; pmax and σ come from a maximum-likelihood fit of pmax·exp(−d²/2σ²) over the probed pairs' lateral distances (µm), with Wald 95 % intervals, corrected for each pair's detection power: the chance that a connection there would score ${DETECTION_THRESHOLD}, from its noise and the log-normal of the found connections' amplitudes (fitted per presynaptic sign, shown below the tables; with fewer than ${MIN_FOUND_FOR_CORRECTION} found connections nothing is corrected). pmaxDetected and sigmaDetected in --json are the uncorrected fit.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --by layer',
    '<%= config.bin %> <%= command.id %> --by cre --json',
  ];
  static override flags = {
    by: Flags.string({
      description: 'Group cells by their classes (cell_class), target layer or cre type',
      options: ['class', 'layer', 'cre'],
      default: 'class',
    }),
  };

  async run(): Promise<ConnectivityMatrix> {
    const result = await withOrm(this.settings(), (orm) => connectivityMatrix(orm, this.flags.by as GroupBy));
    const cell = (pre: string, post: string) => result.matrix.find((m) => m.pre === pre && m.post === post)!;
    const pct = (x: number) => (100 * x).toFixed(0);
    this.say('connected / probed, probability % [95 % CI] (rows: pre, columns: post)');
    this.say(
      table(
        ['pre \\ post', ...result.classes],
        result.classes.map((pre) => [
          pre,
          ...result.classes.map((post) => {
            const m = cell(pre, post);
            return m.probed
              ? `${m.connected}/${m.probed} ${pct(m.probability!)} [${pct(m.ciLow)}–${pct(m.ciHigh)}]`
              : '–';
          }),
        ]),
      ),
    );
    this.say('\ndistance-adjusted, corrected for detection power: pmax % / σ µm (detection power %)');
    this.say(
      table(
        ['pre \\ post', ...result.classes],
        result.classes.map((pre) => [
          pre,
          ...result.classes.map((post) => {
            const m = cell(pre, post);
            return m.pmax === null
              ? '–'
              : `${pct(m.pmax)} / ${m.sigma!.toFixed(0)} (${m.detectionPower === null ? '–' : pct(m.detectionPower)})`;
          }),
        ]),
      ),
    );
    for (const [sign, d] of Object.entries(result.detectionCorrection))
      this.say(
        d
          ? `detection power (${sign}): found connections' template shifts log-normal, median ${(Math.exp(d.mu) * 1e3).toFixed(3)} mV, s ${d.s.toFixed(2)} (n ${d.n})`
          : `detection power (${sign}): fewer than ${MIN_FOUND_FOR_CORRECTION} found connections, not corrected`,
      );
    return result;
  }
}
