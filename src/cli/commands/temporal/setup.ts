import { Flags } from '@oclif/core';
import { connectClient } from '../../../temporal/connection.js';
import { DEFAULT_RETENTION_DAYS, setupNamespace } from '../../../temporal/namespace-setup.js';
import { MpctlCommand } from '../../base-command.js';

export default class TemporalSetup extends MpctlCommand<typeof TemporalSetup> {
  static override summary = "Register mpctl's search attributes and the namespace retention on a Temporal cluster.";
  static override description =
    'Retention bounds how old a failed workflow can be and still be reset; the default keeps a month.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    'TEMPORAL_ADDRESS=temporal:7233 <%= config.bin %> <%= command.id %> --retention-days 60',
  ];
  static override flags = {
    'retention-days': Flags.integer({
      description: 'Days closed workflows are kept',
      default: DEFAULT_RETENTION_DAYS,
      min: 1,
    }),
  };

  async run(): Promise<{ namespace: string; added: string[]; retentionDays: number }> {
    const config = this.settings();
    const client = await connectClient(config);
    try {
      const result = await setupNamespace(client.connection, config.namespace, this.flags['retention-days']);
      this.say(
        `namespace ${config.namespace}: retention ${result.retentionDays} days; search attributes added: ${result.added.join(', ') || 'none (already there)'}`,
      );
      return { namespace: config.namespace, ...result };
    } finally {
      await client.connection.close();
    }
  }
}
