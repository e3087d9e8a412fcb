import { Args, Flags } from '@oclif/core';
import { jobLogs, type JobLogRow } from '../../bookkeeping/job-logs.js';
import { withOrm } from '../../schema/with-orm.js';
import { MpctlCommand } from '../base-command.js';

export default class Logs extends MpctlCommand<typeof Logs> {
  static override summary = "Print the kept log (stdout and stderr) of an external module's job, every attempt or one.";
  static override examples = [
    '<%= config.bin %> <%= command.id %> spike_count 2026-10-03_slice1/site_1',
    '<%= config.bin %> <%= command.id %> spike_count 2026-10-03_slice1/site_1 --attempt 2',
    '<%= config.bin %> <%= command.id %> spike_count 2026-10-03_slice1/site_1 --json',
  ];
  static override args = {
    module: Args.string({ description: 'the module', required: true }),
    job: Args.string({ description: 'the job id (an experiment id)', required: true }),
  };
  static override flags = {
    attempt: Flags.integer({ description: 'only this attempt (numbered per job from 1)', min: 1 }),
  };

  async run(): Promise<{ module: string; jobId: string; attempts: JobLogRow[] }> {
    const { module, job } = this.args;
    const attempts = await withOrm(this.settings(), (orm) => jobLogs(orm.em.fork(), module, job, this.flags.attempt));
    if (attempts.length === 0) {
      throw new Error(
        `no log kept for ${module} ${job}${this.flags.attempt ? ` attempt ${this.flags.attempt}` : ''} (logs are kept for external modules' jobs)`,
      );
    }
    for (const a of attempts) {
      const ended = a.signal ? `signal ${a.signal}` : `exit ${a.exitCode ?? '—'}`;
      this.say(
        `── attempt ${a.attempt} · ${a.outcome} · ${ended} · ${new Date(a.startedAt).toISOString()}${a.truncated ? ' · truncated' : ''}`,
      );
      if (a.text) this.say(a.text);
    }
    return { module, jobId: job, attempts };
  }
}
