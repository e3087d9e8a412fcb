import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import { stopChild } from '../util/child-process.js';
import { waitFor } from '../util/wait.js';
import type { TemporalCli } from './temporal-cli.js';

export interface TemporalServerOptions {
  cli: TemporalCli;
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  logFile: string;
}

export interface RunningTemporal {
  address: string;
  uiUrl: string;
  pid?: number;
  stop(): Promise<void>;
}

/** The SQLite pragmas the SDK's own CI uses: file persistence without paying an fsync per event. */
const SQLITE_PRAGMAS = ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF'];
/**
 * Eager activity dispatch: an activity scheduled on the workflow's own queue goes back to the worker
 * in the workflow task's completion when it has a free slot, skipping the matching round trip (off
 * by default on the server; the worker asks for it unless `allowEagerDispatch: false`).
 */
const EAGER_ACTIVITIES = ['--dynamic-config-value', 'system.enableActivityEagerExecution=true'];
const SERVER_FLAGS = [...SQLITE_PRAGMAS, ...EAGER_ACTIVITIES];

/** Runs `temporal server start-dev` with its Web UI and a persisted SQLite file, on loopback only. */
export async function startTemporalServer(options: TemporalServerOptions): Promise<RunningTemporal> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = `http://127.0.0.1:${options.uiPort}`;
  if (options.cli.kind === 'sdk-download') return startWithSdkDownload(options, address, uiUrl);

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...SERVER_FLAGS,
  ];
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(options.cli.path, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = false;
  child.on('exit', () => (exited = true));
  await waitFor(
    'the Temporal dev server',
    async () => {
      if (exited) throw new Error(`temporal exited early; see ${options.logFile}`);
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: options.namespace });
        return true;
      } finally {
        await connection.close();
      }
    },
    60_000,
  );
  return { address, uiUrl, pid: child.pid, stop: () => stopChild(child, 'SIGTERM', 15_000) };
}

/** Last resort where no binary can be had: the SDK fetches the CLI itself (needs internet). */
async function startWithSdkDownload(
  options: TemporalServerOptions,
  address: string,
  uiUrl: string,
): Promise<RunningTemporal> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      ui: true,
      uiPort: options.uiPort,
      namespace: options.namespace,
      dbFilename: options.dbFile,
      extraArgs: SERVER_FLAGS,
    },
  });
  return { address, uiUrl, stop: () => env.teardown() };
}
