import { Args } from '@oclif/core';
import { DEFAULT_SCHEDULE_ID, describeSchedule, type ScheduleDetails } from '../../../temporal/schedules.js';
import { MpctlCommand } from '../../base-command.js';
import { withClient } from '../../schedule-client.js';

export default class ScheduleDescribe extends MpctlCommand<typeof ScheduleDescribe> {
  static override summary = 'Show one schedule: spec, policies, runs taken and skipped, recent and running updates.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> nightly --json',
  ];
  static override args = { id: Args.string({ description: 'Schedule id', default: DEFAULT_SCHEDULE_ID }) };

  async run(): Promise<ScheduleDetails> {
    const d = await withClient(this.settings(), (client) => describeSchedule(client, this.args.id));
    this.say(`schedule ${d.id}: ${d.spec}${d.paused ? ' (paused)' : ''}
  next run        ${d.nextRunAt ?? '-'}
  overlap         ${d.overlap}, catch-up window ${d.catchupWindowSeconds} s
  runs            ${d.runs} started, ${d.skippedOverlap} skipped (one was running), ${d.missedCatchupWindow} missed (server down too long)
  running         ${d.running.join(', ') || '-'}
  recent          ${d.recentRuns.map((r) => r.updateId).join(', ') || '-'}${d.note ? `\n  note            ${d.note}` : ''}`);
    return d;
  }
}
