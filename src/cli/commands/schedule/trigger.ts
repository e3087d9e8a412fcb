import { Args } from '@oclif/core';
import { DEFAULT_SCHEDULE_ID, triggerSchedule } from '../../../temporal/schedules.js';
import { MpctlCommand } from '../../base-command.js';
import { withClient } from '../../schedule-client.js';

export default class ScheduleTrigger extends MpctlCommand<typeof ScheduleTrigger> {
  static override summary = "Start one of the schedule's updates now, under its overlap policy.";
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> nightly --json',
  ];
  static override args = { id: Args.string({ description: 'Schedule id', default: DEFAULT_SCHEDULE_ID }) };

  async run(): Promise<{ id: string; triggered: true }> {
    await withClient(this.settings(), (client) => triggerSchedule(client, this.args.id));
    this.say(`schedule ${this.args.id} triggered; see it with: mpctl schedule describe ${this.args.id}`);
    return { id: this.args.id, triggered: true };
  }
}
