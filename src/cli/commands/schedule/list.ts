import { listSchedules, type ScheduleSummaryView } from '../../../temporal/schedules.js';
import { MpctlCommand } from '../../base-command.js';
import { withClient } from '../../schedule-client.js';
import { table } from '../../table.js';

export default class ScheduleList extends MpctlCommand<typeof ScheduleList> {
  static override summary = 'List the schedules that run updates: spec, paused, next run, last run.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<{ schedules: ScheduleSummaryView[] }> {
    const schedules = await withClient(this.settings(), listSchedules);
    this.say(
      schedules.length
        ? table(
            ['id', 'spec', 'paused', 'next run', 'last run'],
            schedules.map((s) => [
              s.id,
              s.spec,
              s.paused ? 'yes' : 'no',
              s.nextRunAt ?? '-',
              s.lastRun?.updateId ?? '-',
            ]),
          )
        : 'No schedules. Create one with: mpctl schedule create --every 5m',
    );
    return { schedules };
  }
}
