import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { writeStackState, stackStateFile, type StackState } from '../config/stack-state.js';
import { openOrm, migrate } from '../schema/orm.js';
import { setupNamespace } from '../temporal/namespace-setup.js';
import { findFreePort, reusePort } from '../util/ports.js';
import { sleep } from '../util/wait.js';
import { randomPassword, startEmbeddedPostgres } from './postgres.js';
import { locateTemporalCli } from './temporal-cli.js';
import { stopChild } from '../util/child-process.js';
import { startTemporalServer } from './temporal-server.js';
import { RestartBackoff } from './restart-backoff.js';

export const EMBEDDED_NAMESPACE = 'mpctl';

export interface StackOptions {
  home: string;
  dataRoots: string[];
  taskQueue: string;
  temporalCliPath?: string;
  log: (line: string) => void;
  /** Worker child settings. */
  workerConcurrency?: number;
}

export interface RunningStack {
  state: StackState;
  stop(): Promise<void>;
}

/** Ports and the database password, kept so `down` then `up` comes back at the same addresses. */
interface StackSettings {
  postgresPort?: number;
  temporalPort?: number;
  uiPort?: number;
  password?: string;
}

const binPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');

/**
 * Starts PostgreSQL, the Temporal dev server (Web UI, SQLite state), migrations and a worker,
 * all under MPCTL_HOME, and publishes their addresses in MPCTL_HOME/stack.json.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { home, log } = options;
  fs.mkdirSync(path.join(home, 'logs'), { recursive: true });
  const settingsFile = path.join(home, 'stack-settings.json');
  const settings: StackSettings = fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, 'utf8')) : {};
  settings.password ??= randomPassword();
  settings.postgresPort = await reusePort(settings.postgresPort);
  settings.temporalPort = await reusePort(settings.temporalPort);
  settings.uiPort = await reusePort(settings.uiPort);
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2), { mode: 0o600 });

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => log(`stop failed: ${String(error)}`));
    fs.rmSync(stackStateFile(home), { force: true });
  };
  try {
    log('starting PostgreSQL');
    const pgLog = fs.createWriteStream(path.join(home, 'logs', 'postgres.log'), { flags: 'a' });
    const postgres = await startEmbeddedPostgres({
      dir: path.join(home, 'postgres'),
      port: settings.postgresPort,
      user: 'mpctl',
      password: settings.password,
      database: 'mpctl',
      log: (line) => pgLog.write(line + '\n'),
    });
    stops.push(() => postgres.stop());

    log('starting the Temporal dev server');
    const cli = locateTemporalCli(options.temporalCliPath, log);
    const temporal = await startTemporalServer({
      cli,
      dbFile: path.join(home, 'temporal.sqlite'),
      port: settings.temporalPort,
      uiPort: settings.uiPort,
      namespace: EMBEDDED_NAMESPACE,
      logFile: path.join(home, 'logs', 'temporal.log'),
    });
    stops.push(() => temporal.stop());
    const connection = await Connection.connect({ address: temporal.address });
    await setupNamespace(connection, EMBEDDED_NAMESPACE);
    await connection.close();

    log('applying database migrations');
    const orm = await openOrm(postgres.url, { poolMax: 2 });
    await migrate(orm);
    await orm.close();

    const state: StackState = {
      supervisorPid: process.pid,
      databaseUrl: postgres.url,
      temporalAddress: temporal.address,
      namespace: EMBEDDED_NAMESPACE,
      uiUrl: temporal.uiUrl,
      taskQueue: options.taskQueue,
      dataRoots: options.dataRoots,
      pids: { temporal: temporal.pid, postgres: postgres.pid },
      startedAt: new Date().toISOString(),
    };
    log('starting a worker');
    const worker = await superviseWorker(state, options, home);
    stops.push(() => worker.stop());
    state.pids.worker = worker.pid();
    state.workerHealthUrl = worker.healthUrl;
    writeStackState(home, state);
    return { state, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Runs `mpctl worker` as a child and restarts it if it dies, as a process manager would. */
async function superviseWorker(state: StackState, options: StackOptions, home: string) {
  const healthPort = await findFreePort();
  const logFile = path.join(home, 'logs', 'worker.log');
  let child: ChildProcess | undefined;
  let stopping = false;
  const env = {
    ...process.env,
    MPCTL_HOME: home,
    MPCTL_DATABASE_URL: state.databaseUrl,
    TEMPORAL_ADDRESS: state.temporalAddress,
    TEMPORAL_NAMESPACE: state.namespace,
    MPCTL_TASK_QUEUE: state.taskQueue,
    MPCTL_DATA_ROOTS: state.dataRoots.join(':'),
    MPCTL_HEALTH_PORT: String(healthPort),
    MPCTL_MAX_CONCURRENT_ACTIVITIES: String(options.workerConcurrency ?? 2),
  };
  const backoff = new RestartBackoff();
  const launch = () => {
    const launchedAt = Date.now();
    const out = fs.openSync(logFile, 'a');
    child = spawn(process.execPath, [binPath, 'worker'], { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    state.pids.worker = child.pid;
    if (fs.existsSync(stackStateFile(home))) writeStackState(home, state);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ?? `code ${code}`;
      const next = backoff.crashed(Date.now() - launchedAt);
      if (!next.restart) {
        options.log(
          `worker exited (${how}), ${next.crashes} crashes in a row: not restarting it again. See ${logFile}, fix the cause, then \`mpctl down\` and \`mpctl up\``,
        );
        state.pids.worker = undefined;
        if (fs.existsSync(stackStateFile(home))) writeStackState(home, state);
        return;
      }
      options.log(`worker exited (${how}); restarting it in ${next.delayMs / 1000} s (crash ${next.crashes} in a row)`);
      setTimeout(() => !stopping && launch(), next.delayMs);
    });
  };
  launch();
  // Ready when its health endpoint answers /ready.
  const healthUrl = `http://127.0.0.1:${healthPort}`;
  for (let i = 0; i < 240; i++) {
    const ready = await fetch(`${healthUrl}/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (i === 239) throw new Error(`the worker did not become ready; see ${logFile}`);
    await sleep(250);
  }
  return {
    healthUrl,
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      if (child) await stopChild(child, 'SIGTERM', 45_000);
    },
  };
}
