import { migrate } from '../../../schema/orm.js';
import { loadModules } from '../../../external/load-registry.js';
import { syncExternalTables, type TableSyncReport } from '../../../external/sync-tables.js';
import { requireDatabaseUrl, withOrm } from '../../../schema/with-orm.js';
import { MpctlCommand } from '../../base-command.js';

export default class DbMigrate extends MpctlCommand<typeof DbMigrate> {
  static override summary = 'Apply pending database migrations.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    'MPCTL_DATABASE_URL=postgresql://mpctl@db/mpctl <%= config.bin %> <%= command.id %> --json',
  ];

  async run(): Promise<{ applied: string[]; externalTables: TableSyncReport }> {
    const config = this.settings();
    const { manifests } = loadModules(config);
    const applied = await withOrm(config, migrate);
    const externalTables = await syncExternalTables(requireDatabaseUrl(config), manifests);
    this.say(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    for (const m of externalTables.modules.filter((m) => m.action !== 'unchanged'))
      this.say(
        `${m.name} v${m.version}: tables ${m.action === 'record' ? 'kept' : `${m.action}d`} (${m.tables.join(', ')})`,
      );
    return { applied, externalTables };
  }
}
