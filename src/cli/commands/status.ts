import { loadModules } from '../../external/load-registry.js';
import { withOrm } from '../../schema/with-orm.js';
import { queueWaits } from '../../views/queue-waits.js';
import { moduleStatus, type StatusView } from '../../views/status.js';
import { MpctlCommand } from '../base-command.js';
import { table } from '../table.js';

export default class Status extends MpctlCommand<typeof Status> {
  static override summary = 'Count jobs per module: succeeded, failed, ready to run, running.';
  static override description = `Modules on their own task queue that no worker serves are marked as waiting.
External modules whose folder has gone are listed as removed with the rows they still hold; \`mpctl drop NAME\` deletes them.`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<StatusView> {
    const config = this.settings();
    const registry = loadModules(config).registry;
    const waits = await queueWaits(config, registry);
    const view = await withOrm(config, (orm) => moduleStatus(orm, registry, config.dataRoots, waits, config.settle));
    this.say(
      table(
        ['module', 'succeeded', 'failed', 'ready', 'running', 'skipped'],
        view.modules.map((m) => [m.module, m.succeeded, m.failed, m.ready, m.running, m.skipped]),
      ),
    );
    for (const m of view.modules.filter((m) => m.waitingForWorker))
      this.say(`${m.module}: ${m.waitingForWorker} (start one: mpctl worker --task-queue ${waits.byModule[m.module]})`);
    if (view.queuesUnknown) this.say(view.queuesUnknown);
    if (view.removed.length) {
      this.say('\nremoved modules (their folder has gone; the data stays until `mpctl drop NAME --yes`):');
      this.say(
        table(
          ['module', 'version', 'jobs', 'rows', 'was at'],
          view.removed.map((m) => [
            m.module,
            m.version,
            m.jobs,
            Object.entries(m.rows)
              .map(([t, n]) => `${t}: ${n}`)
              .join(', ') || '-',
            m.origin,
          ]),
        ),
      );
    }
    const { waiting } = view;
    if (waiting.incomplete + waiting.settling > 0)
      this.say(
        `\nWaiting: ${waiting.incomplete} incomplete (no pipettes.yml yet), ${waiting.settling} settling (files still changing); see mpctl update --dry-run`,
      );
    return view;
  }
}
