import { Args } from '@oclif/core';
import { loadModules } from '../../../external/load-registry.js';
import { withOrm } from '../../../schema/with-orm.js';
import { queueWaits } from '../../../views/queue-waits.js';
import { showExperiment, type ExperimentView } from '../../../views/jobs.js';
import { MpctlCommand } from '../../base-command.js';
import { table } from '../../table.js';

export default class ShowExperiment extends MpctlCommand<typeof ShowExperiment> {
  static override summary =
    "Show one experiment in every module: status, why it would run, duration, last error, and its workflow's Web UI link.";
  static override examples = [
    '<%= config.bin %> <%= command.id %> 2026-10-03_slice1/site_2',
    '<%= config.bin %> <%= command.id %> 2026-10-03_slice1/site_2 --json',
  ];
  static override args = {
    id: Args.string({ description: 'Experiment id: <slice folder>/<site folder>', required: true }),
  };

  async run(): Promise<ExperimentView> {
    const config = this.settings();
    const registry = loadModules(config).registry;
    const waits = await queueWaits(config, registry);
    const view = await withOrm(config, (orm) => showExperiment(orm, registry, config, this.args.id, waits));
    this.say(`experiment ${view.experimentId}${view.uiUrl ? `\nhistory: ${view.uiUrl}` : ''}\n`);
    if (view.waiting) this.say(`waiting: ${view.waiting.reason} · ${view.waiting.detail}\n`);
    this.say(
      table(
        ['module', 'status', 'would run', 'duration', 'finished'],
        view.modules.map((m) => [
          m.module,
          m.waitingForWorker ? `${m.status} (${m.waitingForWorker})` : m.status,
          m.ready ?? '-',
          m.durationMs === null ? '-' : `${(m.durationMs / 1000).toFixed(1)}s`,
          m.finishedAt ?? '-',
        ]),
      ),
    );
    if (view.queuesUnknown) this.say(`\n${view.queuesUnknown}`);
    for (const m of view.modules.filter((m) => m.error))
      this.say(`\n${m.module}: ${m.error}${m.sourceFile ? `\n  file: ${m.sourceFile}` : ''}`);
    return view;
  }
}
