import { migrate } from '../../../schema/orm.js';
import { withOrm } from '../../../schema/with-orm.js';
import { MpctlCommand } from '../../base-command.js';

export default class DbMigrate extends MpctlCommand<typeof DbMigrate> {
  static override summary = 'Apply pending database migrations.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    'MPCTL_DATABASE_URL=postgresql://mpctl@db/mpctl <%= config.bin %> <%= command.id %> --json',
  ];

  async run(): Promise<{ applied: string[] }> {
    const applied = await withOrm(this.settings(), migrate);
    this.say(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    return { applied };
  }
}
