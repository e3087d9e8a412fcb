import { Flags } from '@oclif/core';
import { readStackState } from '../../../config/stack-state.js';
import { MpctlCommand } from '../../base-command.js';
import { stackInfo, type StackInfo } from '../../stack-info.js';

export default class StackInfoCommand extends MpctlCommand<typeof StackInfoCommand> {
  static override summary = 'Show where the running embedded stack listens.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];
  static override flags = {
    reveal: Flags.boolean({ description: 'Show the database password instead of ***' }),
  };

  async run(): Promise<StackInfo> {
    const { home } = this.settings();
    const state = readStackState(home);
    if (!state) this.error(`no stack is running in ${home}; start one with \`mpctl up --detach\``, { exit: 1 });
    const info = stackInfo(state, this.flags.reveal);
    this.say(
      Object.entries(info)
        .map(([key, value]) => `${key.padEnd(16)} ${value}`)
        .join('\n'),
    );
    return info;
  }
}
