// The production Temporal server (go.temporal.io/server, built by scripts/temporal-server.sh)
// on PostgreSQL with SQL visibility, as the deployments run it: the server's own embedded
// config template (the one the temporalio/server image renders) with the environment keys of
// the `temporal` service in docker-compose.core.yml, the persistence plugin and database names
// of deploy/temporal-values.yaml (the official chart's values), the schema set up with
// temporal-sql-tool as the compose `temporal-schema` service does it. Loopback only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { parse } from 'yaml';
import { stopChild } from '../../src/util/child-process.js';
import { findFreePort, isPortFree } from '../../src/util/ports.js';
import { sleep } from '../../src/util/wait.js';
import { composeService } from '../deploy/entrypoint.js';
import { repoRoot } from '../deploy/support.js';

const coreCompose = path.join(repoRoot, 'docker-compose.core.yml');
const chartValues = path.join(repoRoot, 'deploy', 'temporal-values.yaml');

interface SqlStore {
  pluginName: string;
  databaseName: string;
}

/**
 * The two stores as the official chart is given them. The server's template names the same
 * databases by default (DBNAME, VISIBILITY_DBNAME), and its plugin is the compose file's DB:
 * a values file that drifts from either fails here.
 */
export function chartStores(): { default: SqlStore; visibility: SqlStore } {
  const values = parse(fs.readFileSync(chartValues, 'utf8')) as {
    server: { config: { persistence: { datastores: Record<'default' | 'visibility', { sql: SqlStore }> } } };
  };
  const stores = values.server.config.persistence.datastores;
  const db = (composeService('temporal', coreCompose).environment as Record<string, string>).DB;
  for (const store of [stores.default.sql, stores.visibility.sql])
    if (store.pluginName !== db)
      throw new Error(`${chartValues}: pluginName ${store.pluginName}, but docker-compose.core.yml runs DB=${db}`);
  return { default: stores.default.sql, visibility: stores.visibility.sql };
}

/** The four services of a Temporal cluster; `worker` runs Temporal's own system workflows. */
export const TEMPORAL_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface TemporalServerInstall {
  /** Folder with bin/temporal-server, bin/temporal-sql-tool and schema/postgresql/v12. */
  dir?: string;
  /** Why it is not there (a test skips and prints this). */
  unavailable?: string;
}

/**
 * The built server. `build: true` builds it when missing (minutes the first time);
 * otherwise only a cached build counts. Exit 3 of the script is the environment's (no Go,
 * proxy unreachable, not built): a reason to skip. Anything else is a defect and throws.
 */
export function temporalServerInstall({ build }: { build: boolean }): TemporalServerInstall {
  const script = path.join(repoRoot, 'scripts', 'temporal-server.sh');
  const r = spawnSync('bash', [script, ...(build ? [] : ['--check'])], { encoding: 'utf8' });
  if (r.status === 0) return { dir: r.stdout.trim().split('\n').pop()! };
  const reason = r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`;
  if (r.status === 3) return { unavailable: reason };
  throw new Error(`scripts/temporal-server.sh failed (exit ${r.status}):\n${r.stderr}`);
}

export interface ClusterPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * The compose `temporal` service's environment with its values for this host: every key the
 * compose file sets must be one this function knows how to set here, so a new key there
 * fails this harness until it is carried over (one source of truth for the server config).
 */
export function serverEnvironment(
  db: ClusterPostgres,
  ports: Record<TemporalService, { grpc: number; membership: number }> & { frontendHttp: number },
  dynamicConfigFile: string,
): Record<string, string> {
  const compose = composeService('temporal', coreCompose).environment as Record<string, string>;
  const local: Record<string, string> = {
    DB: compose.DB!, // the persistence plugin, as deployed (postgres12)
    DB_PORT: String(db.port),
    POSTGRES_SEEDS: db.host,
    POSTGRES_USER: db.user,
    POSTGRES_PWD: db.password,
    BIND_ON_IP: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: dynamicConfigFile,
  };
  const stores = chartStores();
  const unknown = Object.keys(compose).filter((k) => !(k in local));
  if (unknown.length)
    throw new Error(
      `docker-compose.core.yml sets ${unknown.join(', ')} for temporal; carry it over in test/helpers/temporal-cluster.ts`,
    );
  return {
    ...local,
    // Not in the compose file because its defaults fit a container of its own: the
    // visibility store's port (defaults to 5432, not DB_PORT), one port pair per service
    // on a shared host, and where members find each other.
    VISIBILITY_DB_PORT: String(db.port),
    DBNAME: stores.default.databaseName,
    VISIBILITY_DBNAME: stores.visibility.databaseName,
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.frontend.grpc),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontend.membership),
    HISTORY_GRPC_PORT: String(ports.history.grpc),
    HISTORY_MEMBERSHIP_PORT: String(ports.history.membership),
    MATCHING_GRPC_PORT: String(ports.matching.grpc),
    MATCHING_MEMBERSHIP_PORT: String(ports.matching.membership),
    WORKER_GRPC_PORT: String(ports.worker.grpc),
    WORKER_MEMBERSHIP_PORT: String(ports.worker.membership),
    LOG_LEVEL: process.env.MPCTL_TEST_VERBOSE ? 'info' : 'warn',
  };
}

/** The dynamic config the compose file gives the server (its inline `configs` entry). */
export function composeDynamicConfig(): string {
  const model = parse(fs.readFileSync(coreCompose, 'utf8'), { merge: true }) as {
    configs?: Record<string, { content?: string }>;
  };
  const content = model.configs?.['temporal-dynamicconfig']?.content;
  if (!content) throw new Error(`${coreCompose} has no configs.temporal-dynamicconfig.content`);
  return content;
}

/**
 * The two databases and their schemas, with the commands of the compose `temporal-schema`
 * service: create (tolerated when it exists), setup-schema -v 0.0, update-schema to the
 * newest versioned schema the server ships.
 */
export function setupTemporalSchema(install: string, db: ClusterPostgres, log: (line: string) => void): void {
  const tool = path.join(install, 'bin', 'temporal-sql-tool');
  const stores = chartStores();
  for (const [store, dir] of [
    [stores.default, 'temporal'],
    [stores.visibility, 'visibility'],
  ] as const) {
    const database = store.databaseName;
    const base = [
      '--plugin',
      store.pluginName,
      '--ep',
      db.host,
      '-p',
      String(db.port),
      '-u',
      db.user,
      '--pw',
      db.password,
      '--db',
      database,
    ];
    const run = (args: string[], tolerate?: RegExp) => {
      const r = spawnSync(tool, [...base, ...args], { encoding: 'utf8' });
      const out = `${r.stdout}${r.stderr}`;
      if (r.status !== 0 && !(tolerate && tolerate.test(out)))
        throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed (exit ${r.status}):\n${out}`);
      log(`temporal-sql-tool ${args[0]} ${database}: ok`);
    };
    run(['create'], /already exists/);
    run(['setup-schema', '-v', '0.0']);
    run(['update-schema', '-d', path.join(install, 'schema', 'postgresql', 'v12', dir, 'versioned')]);
  }
}

export interface TemporalClusterOptions {
  install: string;
  db: ClusterPostgres;
  /** Folder for the logs and the dynamic config. */
  dir: string;
  namespace: string;
  /** `all`: one process with every service; `split`: one process per service. */
  layout: 'all' | 'split';
  log?: (line: string) => void;
}

export interface TemporalCluster {
  /** host:port of the frontend. */
  address: string;
  layout: 'all' | 'split';
  /** The pid of the process that runs `service` (the same pid for every service in `all`). */
  pid(service: TemporalService): number | undefined;
  /** SIGKILL the process of one service (split layout): it gets no chance to hand anything over. */
  kill(service: TemporalService): Promise<void>;
  /**
   * Starts killed services again on the same ports and databases, all at once (a frontend
   * alone may wait for the ring it expects), then waits until the namespace answers.
   */
  restart(...services: TemporalService[]): Promise<void>;
  logFile(service: TemporalService | 'all'): string;
  stop(): Promise<void>;
}

const taken = new Set<number>();
/**
 * The SQL stores keep a member's port in a smallint column (cluster_membership.rpc_port), so
 * membership ports must be below 32768, under the kernel's ephemeral range that findFreePort
 * draws from. A random free one in 20000–32767, never the same twice in this process.
 */
async function freeMembershipPort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (!taken.has(port) && (await isPortFree(port))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port in 20000–32767 for a Temporal membership port');
}

/** Starts the server (schema first), waits until the frontend serves, registers the namespace. */
export async function startTemporalCluster(o: TemporalClusterOptions): Promise<TemporalCluster> {
  const log = o.log ?? (() => {});
  fs.mkdirSync(o.dir, { recursive: true });
  setupTemporalSchema(o.install, o.db, log);
  const dynamicConfig = path.join(o.dir, 'dynamicconfig.yaml');
  fs.writeFileSync(dynamicConfig, composeDynamicConfig());
  const pair = async () => ({ grpc: await findFreePort(), membership: await freeMembershipPort() });
  const ports = {
    frontend: await pair(),
    history: await pair(),
    matching: await pair(),
    worker: await pair(),
    frontendHttp: await findFreePort(),
  };
  const env = { ...process.env, ...serverEnvironment(o.db, ports, dynamicConfig) };
  const address = `127.0.0.1:${ports.frontend.grpc}`;
  const children = new Map<string, ChildProcess>();
  const groups: (TemporalService | 'all')[] = o.layout === 'all' ? ['all'] : [...TEMPORAL_SERVICES];
  const groupOf = (service: TemporalService) => (o.layout === 'all' ? 'all' : service);
  const logFile = (group: TemporalService | 'all') => path.join(o.dir, `temporal-${group}.log`);
  const launch = (group: TemporalService | 'all') => {
    const services = group === 'all' ? TEMPORAL_SERVICES : [group];
    const out = fs.openSync(logFile(group), 'a');
    // No --config-file: the embedded template, as the temporalio/server image renders it.
    const child = spawn(
      path.join(o.install, 'bin', 'temporal-server'),
      ['--allow-no-auth', 'start', ...services.flatMap((s) => ['--service', s])],
      { env, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    children.set(group, child);
    log(`temporal ${group}: pid ${child.pid}`);
    return child;
  };
  for (const group of groups) launch(group);
  const cluster: TemporalCluster = {
    address,
    layout: o.layout,
    pid: (service) => children.get(groupOf(service))?.pid,
    async kill(service) {
      const child = children.get(groupOf(service));
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async restart(...services) {
      for (const group of new Set(services.map(groupOf))) launch(group);
      // Rejoining the ring waits out the killed members' entries (maxJoinDuration 30 s).
      await waitServing(address, o.namespace, children, logFile, 180_000, false);
    },
    logFile,
    async stop() {
      // Frontend first so clients see it go, then the rest; each has 15 s to drain.
      const order = [...children.keys()].sort((a, b) => Number(b === 'frontend') - Number(a === 'frontend'));
      for (const group of order) await stopChild(children.get(group)!, 'SIGTERM', 15_000);
    },
  };
  try {
    await waitServing(address, o.namespace, children, logFile, 120_000, true);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/**
 * Polls until the frontend answers and (first start) registers the namespace; later starts
 * wait until the namespace answers, which needs history and matching too.
 */
async function waitServing(
  address: string,
  namespace: string,
  children: Map<string, ChildProcess>,
  logFile: (group: TemporalService | 'all') => string,
  timeoutMs: number,
  register: boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    // A server process that exited makes waiting pointless: say which and why at once.
    const gone = [...children].find(([, c]) => c.exitCode !== null);
    if (gone) {
      const file = logFile(gone[0] as TemporalService);
      throw new Error(`temporal ${gone[0]} exited (code ${gone[1].exitCode}): ${lastErrors(file)} (log: ${file})`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        if (register) await registerNamespace(connection, namespace);
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      last = error;
    }
    await sleep(500);
  }
  throw new Error(
    `the Temporal server at ${address} did not serve namespace ${namespace} within ${timeoutMs / 1000} s: ${(last as Error)?.message}`,
  );
}

/** The last fatal or error lines of a server log (JSON lines), without their stack traces. */
function lastErrors(file: string): string {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const errors = lines
    .map((line) => {
      try {
        return JSON.parse(line) as { level?: string; msg?: string; error?: string };
      } catch {
        return { level: 'error', msg: line };
      }
    })
    .filter((e) => e.level === 'fatal' || e.level === 'error')
    .slice(-2);
  return errors.map((e) => `${e.msg}${e.error ? `: ${e.error}` : ''}`).join('; ') || lines.slice(-3).join(' ');
}

/** What the compose `temporal-setup` service does before `mpctl temporal setup`: the namespace itself. */
async function registerNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
  } catch (error) {
    // ALREADY_EXISTS (code 6) on a retry after a timed-out first attempt, or a restart.
    if ((error as { code?: number }).code !== 6) throw error;
  }
}
