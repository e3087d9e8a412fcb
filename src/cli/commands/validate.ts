import { Flags } from '@oclif/core';
import { withOrm } from '../../schema/with-orm.js';
import { validateAgainstTruth, type ValidationSummary } from '../../views/validation.js';
import { MpctlCommand } from '../base-command.js';
import { table } from '../table.js';

export default class Validate extends MpctlCommand<typeof Validate> {
  static override summary = 'Score the connection_strength results against the ground truth of `mpctl sample-data`.';
  static override description =
    'Matches every ordered pair by experiment and pipette ids; experiments not analysed yet are left out and counted.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --truth data/truth',
    '<%= config.bin %> <%= command.id %> --truth data/truth --json',
  ];
  static override flags = {
    truth: Flags.string({ description: 'Ground-truth folder written by sample-data (OUT/truth)', required: true }),
    'min-amplitude': Flags.string({
      description: 'Compare amplitudes of true connections at least this large (mV)',
      default: '0.2',
    }),
  };

  async run(): Promise<ValidationSummary> {
    const min = Number(this.flags['min-amplitude']);
    if (!Number.isFinite(min) || min < 0)
      this.error('--min-amplitude must be a non-negative number of mV', { exit: 2 });
    const result = await withOrm(this.settings(), (orm) => validateAgainstTruth(orm, this.flags.truth, min));
    const f = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
    this.say(
      table(
        ['figure', 'value', 'over'],
        [
          [
            'ROC AUC of detection score',
            f(result.rocAuc, 3),
            `${result.connections} connected / ${result.pairs} pairs`,
          ],
          ['synapse-type accuracy', f(result.synapseTypeAccuracy, 3), `${result.connections} true connections`],
          [
            `median amplitude error (≥ ${min} mV)`,
            `${f(result.medianAmplitudeErrorPct, 1)} %`,
            `${result.amplitudesCompared} connections`,
          ],
          ['median latency error', `${f(result.medianLatencyErrorMs, 3)} ms`, `${result.connections} true connections`],
          ...dynamicsRows(result.dynamics, f),
          ...voltageClampRows(result.voltageClamp, min, f),
        ],
      ),
    );
    const c = result.connectivity;
    if (c)
      this.say(
        `connectivity: CI covers the truth in ${c.ciCoverage === null ? 'n/a' : f(c.ciCoverage, 2)} of ${c.classPairsJudged} class pairs (≥ 20 probed), corrected for detection power ${c.ciCoverageCorrected === null ? 'n/a' : f(c.ciCoverageCorrected, 2)}; median error of corrected pmax ${c.medianPmaxErrorPct === null ? 'n/a' : f(c.medianPmaxErrorPct, 1)} %, σ ${c.medianSigmaErrorPct === null ? 'n/a' : f(c.medianSigmaErrorPct, 1)} % over ${c.classPairsFitted} class pairs (≥ 20 true connections)`,
      );
    if (c && c.sensitivity !== null) {
      const pct = (x: number | null) => (x === null ? 'n/a' : `${f(x, 1)} %`);
      this.say(
        `connectivity: detection found ${f(100 * c.sensitivity, 1)} % of the true connections among probed pairs (${c.falsePositives} false positives; estimated detection power ${c.meanDetectionPower === null ? 'n/a' : `${f(100 * c.meanDetectionPower, 1)} %`}); without the detection-power correction the median error would be pmax ${pct(c.medianDetectedPmaxErrorPct)}, σ ${pct(c.medianDetectedSigmaErrorPct)}; with every true connection known, pmax ${pct(c.medianOraclePmaxErrorPct)}, σ ${pct(c.medianOracleSigmaErrorPct)}`,
      );
    }
    if (result.experimentsMissing)
      this.say(`${result.experimentsMissing} of ${result.experiments} experiments in the truth have no results yet`);
    if (result.missingPredictions) this.say(`${result.missingPredictions} true pairs have no connection_strength row`);
    return result;
  }
}

/** The same four figures from the voltage-clamp results alone, when the truth has VC sweeps. */
function voltageClampRows(
  v: ValidationSummary['voltageClamp'],
  min: number,
  f: (x: number, digits: number) => string,
): string[][] {
  if (!v) return [];
  const over = `${v.connections} true connections`;
  return [
    ['voltage clamp: ROC AUC', f(v.rocAuc, 3), `${v.connections} connected / ${v.pairs} pairs`],
    ['voltage clamp: synapse-type accuracy', f(v.synapseTypeAccuracy, 3), over],
    [
      `voltage clamp: median PSC amplitude error (PSP ≥ ${min} mV)`,
      `${f(v.medianAmplitudeErrorPct, 1)} %`,
      `${v.amplitudesCompared} connections`,
    ],
    ['voltage clamp: median latency error', `${f(v.medianLatencyErrorMs, 3)} ms`, over],
  ];
}

/** The dynamics module's figures, or one row saying it has not run. */
function dynamicsRows(d: ValidationSummary['dynamics'], f: (x: number, digits: number) => string): string[][] {
  if (!d) return [['dynamics', 'not run', 'no dynamics table']];
  const over = `${d.compared} of ${d.connections} true connections ≥ ${d.minAmplitudeMv} mV`;
  return [
    ['dynamics: median PPR error', f(d.medianPprError ?? Number.NaN, 3), over],
    ['dynamics: median induction error', f(d.medianInductionError ?? Number.NaN, 3), over],
    ['dynamics: depressing/facilitating accuracy', f(d.plasticityAccuracy ?? Number.NaN, 3), over],
  ];
}
