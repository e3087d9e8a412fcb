import { Flags } from '@oclif/core';
import { loadModules } from '../../external/load-registry.js';
import { connectClient } from '../../temporal/connection.js';
import { triggerSchedule } from '../../temporal/schedules.js';
import { newUpdateId, startUpdate } from '../../temporal/update.js';
import { parseDuration } from '../../util/duration.js';
import { watchNative, watchPolling, WatchLimitError } from '../../watch/file-watcher.js';
import { runWatchLoop, type WatchEvent } from '../../watch/watch-loop.js';
import { MpctlCommand } from '../base-command.js';

/** The last line under --json: the `stopped` event, with what this watch did. */
export interface WatchSummary {
  event: 'stopped';
  at: string;
  updates: string[];
  changes: number;
}

export default class Watch extends MpctlCommand<typeof Watch> {
  static override summary = 'Watch the data roots and start an update once a changed site has settled.';
  static override description = `Runs until Ctrl-C. A site counts once it has been quiet for --debounce and its files are older than the settle time
(MPCTL_SETTLE_SECONDS, settleSeconds in mpctl.config.json; 60 s by default); a site without pipettes.yml waits for it.
inotify sees writes made on this machine only: on a network file system use --poll.
With --json, one JSON object per line per event: watching, changed, waiting, update, error, stopped.`;
  static override examples = [
    { description: 'Watch and update', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'On an NFS or SMB share written by the rig PCs: look every 10 s',
      command: '<%= config.bin %> <%= command.id %> --poll 10s',
    },
    {
      description: "Trigger the schedule's update instead of starting one of its own, one event per line",
      command: '<%= config.bin %> <%= command.id %> --schedule mpctl-update --json',
    },
  ];
  static override flags = {
    debounce: Flags.string({
      description: 'Quiet time after the last change before a site is considered',
      default: '2s',
    }),
    poll: Flags.string({ description: 'Poll file times every INTERVAL instead of inotify (network file systems)' }),
    schedule: Flags.string({ description: 'Trigger this schedule instead of starting updates directly' }),
    parallel: Flags.integer({ char: 'p', description: 'Experiments processed at once', default: 4, min: 1 }),
  };

  async run(): Promise<WatchSummary> {
    const config = this.settings();
    const debounceMs = parseDuration(this.flags.debounce, '--debounce');
    const pollMs = this.flags.poll ? parseDuration(this.flags.poll, '--poll') : undefined;
    if (pollMs !== undefined && pollMs < 100) this.error('--poll must be at least 100ms', { exit: 2 });
    const modules = loadModules(config).registry.names;
    const client = await connectClient(config);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let fatal: Error | undefined;
    const updates: string[] = [];
    let changes = 0;
    const emit = (event: WatchEvent) => {
      if (event.event === 'update') updates.push(event.updateId);
      if (event.event === 'changed') changes++;
      // Under --json the stopped line is run()'s result, printed by logJson below.
      if (event.event === 'stopped' && this.jsonEnabled()) return;
      // oclif's log() is silent under --json (it prints only the final result): one line per event, straight out.
      if (this.jsonEnabled()) process.stdout.write(JSON.stringify({ at: new Date().toISOString(), ...event }) + '\n');
      else this.log(describe(event));
    };
    try {
      await runWatchLoop(
        {
          roots: config.dataRoots,
          debounceMs,
          pollMs,
          settle: config.settle,
          watch: (onChange, onError) => {
            const failOn = (error: Error) => {
              onError(error);
              // Without watches nothing more would be seen: stop rather than look alive.
              if (error instanceof WatchLimitError) {
                fatal = error;
                stop.abort();
              }
            };
            return pollMs !== undefined
              ? watchPolling(config.dataRoots, pollMs, onChange, failOn)
              : watchNative(config.dataRoots, onChange, failOn);
          },
          startUpdate: async () => {
            if (this.flags.schedule) {
              await triggerSchedule(client, this.flags.schedule);
              return `schedule:${this.flags.schedule}`;
            }
            const updateId = newUpdateId();
            await startUpdate(client, config, {
              updateId,
              modules,
              parallel: this.flags.parallel,
              dataRoots:
                config.dataRootsExplicit && config.sources.dataRoots !== 'stack' ? config.dataRoots : undefined,
            });
            return updateId;
          },
          emit,
        },
        stop.signal,
      );
    } catch (error) {
      if (error instanceof WatchLimitError) this.error(error.message, { exit: 1 });
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await client.connection.close();
    }
    if (fatal) this.error(fatal.message, { exit: 1 });
    return { event: 'stopped', at: new Date().toISOString(), updates, changes };
  }

  /** One line, like every other event, instead of oclif's indented JSON. */
  protected override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json) + '\n');
  }
}

function describe(event: WatchEvent): string {
  switch (event.event) {
    case 'watching':
      return `watching ${event.roots.join(', ')} (${event.poll ? `polling every ${event.poll} ms` : 'inotify'}, debounce ${event.debounceMs} ms); Ctrl-C stops`;
    case 'changed':
      return `changed  ${event.jobId}`;
    case 'waiting':
      return `waiting  ${event.jobId}: ${event.reason}, ${event.detail}`;
    case 'update':
      return `update   ${event.updateId} for ${event.jobIds.join(', ')}`;
    case 'error':
      return `error    ${event.message}`;
    case 'stopped':
      return 'stopped';
  }
}
