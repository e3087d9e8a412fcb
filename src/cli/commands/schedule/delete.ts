import { Args } from '@oclif/core';
import { DEFAULT_SCHEDULE_ID, deleteSchedule } from '../../../temporal/schedules.js';
import { MpctlCommand } from '../../base-command.js';
import { withClient } from '../../schedule-client.js';

export default class ScheduleDelete extends MpctlCommand<typeof ScheduleDelete> {
  static override summary = 'Delete a schedule (a running update carries on; results are kept).';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> nightly --json',
  ];
  static override args = { id: Args.string({ description: 'Schedule id', default: DEFAULT_SCHEDULE_ID }) };

  async run(): Promise<{ id: string; deleted: true }> {
    await withClient(this.settings(), (client) => deleteSchedule(client, this.args.id));
    this.say(`schedule ${this.args.id} deleted`);
    return { id: this.args.id, deleted: true };
  }
}
