import { Args, Flags } from '@oclif/core';
import {
  DEFAULT_SCHEDULE_ID,
  describeSchedule,
  pauseSchedule,
  type ScheduleDetails,
} from '../../../temporal/schedules.js';
import { MpctlCommand } from '../../base-command.js';
import { withClient } from '../../schedule-client.js';

export default class SchedulePause extends MpctlCommand<typeof SchedulePause> {
  static override summary = 'Pause a schedule: it starts nothing until resumed (a running update carries on).';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    "<%= config.bin %> <%= command.id %> nightly --note 'rig 2 recalibration'",
  ];
  static override args = { id: Args.string({ description: 'Schedule id', default: DEFAULT_SCHEDULE_ID }) };
  static override flags = { note: Flags.string({ description: 'Why, shown by describe and the Web UI' }) };

  async run(): Promise<ScheduleDetails> {
    return withClient(this.settings(), async (client) => {
      await pauseSchedule(client, this.args.id, this.flags.note ?? 'paused with mpctl schedule pause');
      this.say(`schedule ${this.args.id} paused; resume it with: mpctl schedule resume ${this.args.id}`);
      return describeSchedule(client, this.args.id);
    });
  }
}
