import { Args } from '@oclif/core';
import {
  DEFAULT_SCHEDULE_ID,
  describeSchedule,
  resumeSchedule,
  type ScheduleDetails,
} from '../../../temporal/schedules.js';
import { MpctlCommand } from '../../base-command.js';
import { withClient } from '../../schedule-client.js';

export default class ScheduleResume extends MpctlCommand<typeof ScheduleResume> {
  static override summary = 'Resume a paused schedule.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> nightly'];
  static override args = { id: Args.string({ description: 'Schedule id', default: DEFAULT_SCHEDULE_ID }) };

  async run(): Promise<ScheduleDetails> {
    return withClient(this.settings(), async (client) => {
      await resumeSchedule(client, this.args.id, 'resumed with mpctl schedule resume');
      const d = await describeSchedule(client, this.args.id);
      this.say(`schedule ${d.id} resumed; next run ${d.nextRunAt ?? '-'}`);
      return d;
    });
  }
}
