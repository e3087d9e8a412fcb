import { Args, Flags } from '@oclif/core';
import { loadModules } from '../../../external/load-registry.js';
import {
  createSchedule,
  DEFAULT_SCHEDULE_ID,
  describeSchedule,
  OVERLAP_POLICIES,
  type OverlapName,
  type ScheduleDetails,
} from '../../../temporal/schedules.js';
import { MpctlCommand } from '../../base-command.js';
import { withClient } from '../../schedule-client.js';

export default class ScheduleCreate extends MpctlCommand<typeof ScheduleCreate> {
  static override summary =
    'Run updates by themselves: a Temporal Schedule that starts `mpctl update` every DURATION or on a cron.';
  static override description = `The schedule lives in Temporal (the Web UI's Schedules page): it survives server restarts, and runs missed while the
server was down start late within --catchup-window. Runs never overlap: the update lock makes a second one wait, and with
--overlap skip (the default) a run due while one is running is skipped and counted (see \`schedule describe\`).
MODULES and the selection flags are those of \`mpctl update\`; each run resolves them with the worker's modules.`;
  static override examples = [
    { description: 'Update everything every 5 minutes', command: '<%= config.bin %> <%= command.id %> --every 5m' },
    {
      description: 'Nightly at 02:00 (UTC), retrying failed jobs',
      command: "<%= config.bin %> <%= command.id %> --id nightly --cron '0 2 * * *' --retry",
    },
    {
      description: 'Idempotent (deployment hooks): keep the schedule if it exists',
      command: '<%= config.bin %> <%= command.id %> --every 1m --if-absent',
    },
  ];
  static override strict = false;
  static override args = {
    modules: Args.string({ description: 'Modules each run updates (selection syntax); default all' }),
  };
  static override flags = {
    id: Flags.string({ description: 'Schedule id', default: DEFAULT_SCHEDULE_ID }),
    every: Flags.string({ description: 'Interval between runs: 30s, 5m, 1h', exclusive: ['cron'] }),
    cron: Flags.string({ description: "Cron expression (UTC), e.g. '*/10 * * * *'", exclusive: ['every'] }),
    overlap: Flags.string({
      description:
        'A run due while one is running: skip it (counted), buffer one, or start all (they wait on the update lock)',
      options: [...OVERLAP_POLICIES],
      default: 'skip',
    }),
    'catchup-window': Flags.string({
      description: 'After the server was down, start a missed run if it is at most this late',
      default: '1h',
    }),
    'if-absent': Flags.boolean({ description: 'Succeed without changes when the schedule exists (exit 0)' }),
    experiment: Flags.string({
      char: 'e',
      description: 'Only these experiments (slice/site); repeat for several',
      multiple: true,
    }),
    'downstream-of': Flags.string({ description: 'This module and every module that depends on it', multiple: true }),
    'upstream-of': Flags.string({ description: 'This module and every module it depends on', multiple: true }),
    limit: Flags.integer({ description: 'At most N experiments per run', min: 1 }),
    parallel: Flags.integer({ char: 'p', description: 'Experiments processed at once', default: 4, min: 1 }),
    retry: Flags.boolean({ description: 'Each run also re-runs failed jobs' }),
  };

  async run(): Promise<ScheduleDetails & { created: boolean }> {
    const config = this.settings();
    const selection = [
      ...this.positional,
      ...(this.flags['downstream-of'] ?? []).map((m) => `${m}:`),
      ...(this.flags['upstream-of'] ?? []).map((m) => `:${m}`),
    ];
    // Checked here so a typo is a usage error now, not a failed run later.
    loadModules(config).registry.select(selection);
    return withClient(config, async (client) => {
      const created = await createSchedule(
        client,
        config,
        {
          id: this.flags.id,
          every: this.flags.every,
          cron: this.flags.cron,
          overlap: this.flags.overlap as OverlapName,
          catchupWindow: this.flags['catchup-window'],
          update: {
            selection: selection.length ? selection : ['all'],
            experimentIds: this.flags.experiment,
            limit: this.flags.limit,
            retry: this.flags.retry,
            parallel: this.flags.parallel,
            dataRoots: config.dataRootsExplicit && config.sources.dataRoots !== 'stack' ? config.dataRoots : undefined,
          },
        },
        this.flags['if-absent'],
      );
      const details = await describeSchedule(client, this.flags.id);
      this.say(
        created
          ? `schedule ${details.id} created: ${details.spec}, next run ${details.nextRunAt ?? '-'}`
          : `schedule ${details.id} exists (${details.spec}); left as it is`,
      );
      return { ...details, created };
    });
  }
}
