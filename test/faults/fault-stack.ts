import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { migrate, openOrm, type Orm } from '../../src/schema/orm.js';
import { randomPassword, startEmbeddedPostgres, type RunningPostgres } from '../../src/stack/postgres.js';
import { locateTemporalCli, type TemporalCli } from '../../src/stack/temporal-cli.js';
import { startTemporalServer, type RunningTemporal } from '../../src/stack/temporal-server.js';
import { setupNamespace } from '../../src/temporal/namespace-setup.js';
import { findFreePort } from '../../src/util/ports.js';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process.js';
import { startTemporalCluster, type TemporalCluster } from '../helpers/temporal-cluster.js';

export type { WorkerProcess };
export const FAULT_NAMESPACE = 'mpctl-faults';

export interface FaultStackOptions {
  /**
   * The production Temporal server (scripts/temporal-server.sh's build) on this stack's
   * PostgreSQL instead of the dev server: `all` services in one process or `split` into one
   * process per service.
   */
  cluster?: { install: string; layout: 'all' | 'split' };
  /** Register mpctl's search attributes at start (the cluster tests run `mpctl temporal setup` instead). */
  setupNamespace?: boolean;
}

/**
 * The embedded stack's own parts, each under the suite's control: PostgreSQL (durable), the
 * Temporal dev server on a SQLite state file (or the production server on PostgreSQL), and
 * `mpctl worker` processes.
 */
export class FaultStack {
  private postgres!: RunningPostgres;
  private temporal?: RunningTemporal;
  /** The production server, when the stack was started with `cluster`. */
  cluster?: TemporalCluster;
  private options: FaultStackOptions = {};
  private cli!: TemporalCli;
  readonly password = randomPassword();
  connection!: Connection;
  client!: Client;

  private constructor(
    readonly dir: string,
    readonly pgPort: number,
    readonly temporalPort: number,
    readonly uiPort: number,
  ) {}

  static async start(options: FaultStackOptions = {}): Promise<FaultStack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-faults-'));
    fs.chmodSync(dir, 0o755);
    const stack = new FaultStack(dir, await findFreePort(), await findFreePort(), await findFreePort());
    stack.options = options;
    if (!options.cluster) stack.cli = locateTemporalCli(process.env.TEMPORAL_CLI_PATH, () => {});
    try {
      await stack.startPostgres();
      await stack.startTemporal();
      if (options.setupNamespace ?? true) await setupNamespace(stack.connection, FAULT_NAMESPACE);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  get postgresAdminUrl(): string {
    return `postgresql://mpctl:${encodeURIComponent(this.password)}@127.0.0.1:${this.pgPort}/postgres`;
  }

  get temporalAddress(): string {
    return this.cluster?.address ?? `127.0.0.1:${this.temporalPort}`;
  }

  async startPostgres(): Promise<void> {
    this.postgres = await startEmbeddedPostgres({
      dir: path.join(this.dir, 'pg'),
      port: this.pgPort,
      user: 'mpctl',
      password: this.password,
      database: 'mpctl',
      log: () => {},
    });
  }

  /** A fast shutdown, as when the database host restarts. */
  async stopPostgres(): Promise<void> {
    await this.postgres.stop();
  }

  /**
   * pg_terminate_backend on every session of `databaseUrl`'s database that is running a
   * statement or holds a transaction open (the worker's jobs), as a failover or an
   * administrator would. Returns how many were cut.
   */
  async terminateBackends(databaseUrl: string): Promise<number> {
    const database = new URL(databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: this.postgresAdminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND state <> 'idle'`,
        [database],
      );
      await admin.query(`SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid`, [rows.map((r) => r.pid)]);
      return rows.length;
    } finally {
      await admin.end();
    }
  }

  async startTemporal(): Promise<void> {
    if (this.options.cluster) {
      this.cluster = await startTemporalCluster({
        ...this.options.cluster,
        db: { host: '127.0.0.1', port: this.pgPort, user: 'mpctl', password: this.password },
        dir: path.join(this.dir, 'temporal'),
        namespace: FAULT_NAMESPACE,
      });
      this.connection ??= await Connection.connect({ address: this.temporalAddress });
      this.client ??= new Client({ connection: this.connection, namespace: FAULT_NAMESPACE });
      return;
    }
    this.temporal = await startTemporalServer({
      cli: this.cli,
      dbFile: path.join(this.dir, 'temporal.sqlite'),
      port: this.temporalPort,
      uiPort: this.uiPort,
      namespace: FAULT_NAMESPACE,
      logFile: path.join(this.dir, 'temporal.log'),
    });
    this.connection ??= await Connection.connect({ address: this.temporalAddress });
    this.client ??= new Client({ connection: this.connection, namespace: FAULT_NAMESPACE });
  }

  /** SIGKILL: the server gets no chance to flush anything. */
  killTemporal(): void {
    if (this.cluster) throw new Error('kill one service of the cluster with stack.cluster.kill(service)');
    if (this.temporal?.pid) process.kill(this.temporal.pid, 'SIGKILL');
  }

  async newDatabase(): Promise<{ url: string; orm: Orm }> {
    const name = `faults_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: this.postgresAdminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = this.postgresAdminUrl.replace(/\/postgres$/, `/${name}`);
    const orm = await openOrm(url, { poolMax: 4 });
    await migrate(orm);
    return { url, orm };
  }

  /** What any `mpctl` command needs to work against this stack, as a container would be configured. */
  cliEnv(databaseUrl: string, taskQueue: string, dataRoots: string[]): NodeJS.ProcessEnv {
    return {
      MPCTL_DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_NAMESPACE: FAULT_NAMESPACE,
      MPCTL_TASK_QUEUE: taskQueue,
      MPCTL_DATA_ROOTS: dataRoots.join(':'),
    };
  }

  /** A real `mpctl worker` process, as the embedded stack or a container runs it. */
  startWorker(databaseUrl: string, taskQueue: string, dataRoots: string[], name: string): WorkerProcess {
    return spawnWorker({
      databaseUrl,
      temporalAddress: this.temporalAddress,
      namespace: FAULT_NAMESPACE,
      taskQueue,
      dataRoots,
      logFile: path.join(this.dir, `worker-${name}.log`),
      concurrency: 2,
      shutdownGraceSeconds: 5,
    });
  }

  async stop(): Promise<void> {
    await this.connection?.close().catch(() => undefined);
    await this.temporal?.stop().catch(() => undefined);
    await this.cluster?.stop().catch(() => undefined);
    await this.postgres?.stop().catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
