import { isAlive, readStackState } from '../../config/stack-state.js';
import { sleep } from '../../util/wait.js';
import { MpctlCommand } from '../base-command.js';

export default class Down extends MpctlCommand<typeof Down> {
  static override summary = 'Stop the embedded stack, keeping all results and workflow histories.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --home /data/mpctl-state',
  ];

  async run(): Promise<{ stopped: boolean; home: string }> {
    const { home } = this.settings();
    const state = readStackState(home, { includeStale: true });
    if (!state) {
      this.say(`No stack is running in ${home}.`);
      return { stopped: false, home };
    }
    if (isAlive(state.supervisorPid)) {
      process.kill(state.supervisorPid, 'SIGTERM');
      for (let waited = 0; waited < 90_000 && isAlive(state.supervisorPid); waited += 250) await sleep(250);
    }
    // A supervisor that died or hung leaves its children behind; stop them too.
    for (const pid of [state.supervisorPid, state.pids.worker, state.pids.temporal, state.pids.postgres]) {
      if (pid && isAlive(pid)) process.kill(pid, pid === state.pids.postgres ? 'SIGINT' : 'SIGKILL');
    }
    this.say(`Stopped the stack in ${home}; results and workflow histories are kept.`);
    return { stopped: true, home };
  }
}
