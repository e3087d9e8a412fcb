import { Flags } from '@oclif/core';
import { withOrm } from '../../schema/with-orm.js';
import { listFailures, type FailureView } from '../../views/jobs.js';
import { MpctlCommand } from '../base-command.js';

export default class Failures extends MpctlCommand<typeof Failures> {
  static override summary =
    'List failed jobs: module, job, error type and message, the file involved, attempts, when, and the Web UI link.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --module dataset',
    '<%= config.bin %> <%= command.id %> --experiment 2026-10-03_slice1/site_2 --json',
  ];
  static override flags = {
    module: Flags.string({ char: 'm', description: 'Only this module' }),
    experiment: Flags.string({ char: 'e', description: 'Only this experiment (and its slice job)' }),
  };

  async run(): Promise<{ failures: FailureView[] }> {
    const config = this.settings();
    const failures = await withOrm(config, (orm) =>
      listFailures(orm, config, { module: this.flags.module, experimentId: this.flags.experiment }),
    );
    if (failures.length === 0) this.say('No failed jobs.');
    for (const f of failures) {
      this.say(
        `✗ ${f.module} ${f.jobId}  [${f.errorType ?? 'Error'}] after ${f.attempts} attempt(s), ${f.finishedAt ?? ''}`,
      );
      this.say(`    ${f.message}`);
      if (f.sourceFile) this.say(`    file: ${f.sourceFile}`);
      if (f.uiUrl) this.say(`    history: ${f.uiUrl}`);
    }
    if (failures.length)
      this.say(
        `\n${failures.length} failed job(s). After fixing the cause: mpctl reset --failed (re-runs from the failed step) or mpctl update --retry.`,
      );
    return { failures };
  }
}
