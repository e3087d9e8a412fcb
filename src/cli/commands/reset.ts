import { Flags } from '@oclif/core';
import { ConfigError } from '../../errors/index.js';
import { failedExperiments, resetExperiment, type ResetResult } from '../../temporal/reset.js';
import { connectClient, workflowUiUrl } from '../../temporal/connection.js';
import { MpctlCommand } from '../base-command.js';

export default class Reset extends MpctlCommand<typeof Reset> {
  static override summary =
    "Re-run an experiment's failed workflow from its first failed step, after you fixed the cause.";
  static override description = `The workflow is reset to just before the failed module was scheduled: completed modules are replayed from
history (not executed again) and the failed module and everything that depends on it run anew, in a new run of the same
workflow (experiment/<id>), whose history the Web UI shows next to the failed one.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --experiment 2026-10-03_slice1/site_2',
    '<%= config.bin %> <%= command.id %> --failed',
    '<%= config.bin %> <%= command.id %> --failed --module dataset --json',
  ];
  static override flags = {
    experiment: Flags.string({
      char: 'e',
      description: 'Reset these experiments; repeat for several',
      multiple: true,
      exclusive: ['failed'],
    }),
    failed: Flags.boolean({
      description: 'Reset every experiment whose latest workflow run failed',
      exclusive: ['experiment'],
    }),
    module: Flags.string({
      char: 'm',
      description: 'With --failed: only experiments where this module failed',
      dependsOn: ['failed'],
    }),
  };

  async run(): Promise<{ reset: ResetResult[]; errors: { experimentId: string; error: string }[] }> {
    if (!this.flags.experiment?.length && !this.flags.failed)
      throw new ConfigError('say what to reset: --experiment ID or --failed');
    const config = this.settings();
    const client = await connectClient(config);
    try {
      const experiments = this.flags.failed
        ? await failedExperiments(client, this.flags.module)
        : this.flags.experiment!;
      const reset: ResetResult[] = [];
      const errors: { experimentId: string; error: string }[] = [];
      for (const experimentId of experiments) {
        try {
          const result = await resetExperiment(client, experimentId, `mpctl reset by ${process.env.USER ?? 'unknown'}`);
          reset.push(result);
          this.say(
            `reset ${experimentId} to before ${result.module} (event ${result.resetToEventId}); new run ${result.newRunId}${config.uiUrl ? `\n  ${workflowUiUrl(config, result.workflowId, result.newRunId)}` : ''}`,
          );
        } catch (error) {
          if (this.flags.experiment?.length === 1) throw error;
          errors.push({ experimentId, error: (error as Error).message });
          this.warn(`${experimentId}: ${(error as Error).message}`);
        }
      }
      if (experiments.length === 0) this.say('No failed experiment workflows.');
      if (errors.length) process.exitCode = 1;
      return { reset, errors };
    } finally {
      await client.connection.close();
    }
  }
}
