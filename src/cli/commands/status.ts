import { loadModules } from '../../external/load-registry.js';
import { withOrm } from '../../schema/with-orm.js';
import { moduleStatus, type ModuleStatus, type WaitingCounts } from '../../views/status.js';
import { MpctlCommand } from '../base-command.js';
import { table } from '../table.js';

export default class Status extends MpctlCommand<typeof Status> {
  static override summary = 'Count jobs per module: succeeded, failed, ready to run, running.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<{ modules: ModuleStatus[]; waiting: WaitingCounts }> {
    const config = this.settings();
    const { modules, waiting } = await withOrm(config, (orm) =>
      moduleStatus(orm, loadModules(config).registry, config.dataRoots, config.settle),
    );
    this.say(
      table(
        ['module', 'succeeded', 'failed', 'ready', 'running', 'skipped'],
        modules.map((m) => [m.module, m.succeeded, m.failed, m.ready, m.running, m.skipped]),
      ),
    );
    if (waiting.incomplete + waiting.settling > 0)
      this.say(
        `\nWaiting: ${waiting.incomplete} incomplete (no pipettes.yml yet), ${waiting.settling} settling (files still changing); see mpctl update --dry-run`,
      );
    return { modules, waiting };
  }
}
