// The virtual environment of a module's `python: {requirements}` (docs/modules.md): built once per
// content of its pinned requirements (and of the helper package), shared by every job and worker.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors/index.js';

/** The helper package every module environment gets (python/mpctl-module). */
export const HELPER_PACKAGE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../python/mpctl-module',
);

/** Marks a finished environment: a folder without it is a build that died half-way. */
const COMPLETE = '.mpctl-complete';
/** A build that has not finished in this long is taken to have died with its host. */
const LOCK_STALE_MS = 30 * 60_000;
const WAIT_STEP_MS = 500;

export interface ModuleEnv {
  /** The environment's bin folder: put first on PATH to run the module's command with it. */
  binDir: string;
}

export interface ModuleEnvOptions {
  /** Folder of the environments; default $MPCTL_CACHE/module-envs or ~/.cache/mpctl/module-envs. */
  cacheDir?: string;
  /** The Python that creates them; default $MPCTL_PYTHON or python3. */
  python?: string;
  log?: (line: string) => void;
}

export function moduleEnvsDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.MPCTL_CACHE ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'mpctl');
  return path.join(base, 'module-envs');
}

/**
 * Creates (once) and returns the venv for `requirementsFile` (relative to `moduleDir` or
 * absolute): `python3 -m venv`, then pip installs the file and the helper package. Keyed by the
 * hash of the file (and files it includes with -r/-c), the helper's sources and the Python, so
 * a changed pin gets a new environment and unchanged ones are reused. Concurrent callers, in
 * this process or others, wait for the one that builds it.
 */
export async function ensureModuleEnv(
  moduleDir: string,
  requirementsFile: string,
  options: ModuleEnvOptions = {},
): Promise<ModuleEnv> {
  const file = path.resolve(moduleDir, requirementsFile);
  if (!fs.existsSync(file)) throw new ConfigError(`${file}: python requirements file not found`);
  const python = options.python ?? process.env.MPCTL_PYTHON ?? 'python3';
  const root = options.cacheDir ?? moduleEnvsDir();
  const key = environmentKey(file, python);
  const dir = path.join(root, key);
  const binDir = path.join(dir, 'bin');
  if (fs.existsSync(path.join(dir, COMPLETE))) return { binDir };
  fs.mkdirSync(root, { recursive: true });
  const lock = `${dir}.lock`;
  await acquire(lock);
  try {
    if (fs.existsSync(path.join(dir, COMPLETE))) return { binDir };
    // A folder without the marker is a build that died: start it again from nothing.
    fs.rmSync(dir, { recursive: true, force: true });
    options.log?.(`building the Python environment of ${file} in ${dir}`);
    try {
      await exec(python, ['-m', 'venv', dir], file, 'python3 -m venv');
      const pip = path.join(binDir, 'python');
      await exec(
        pip,
        ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', file, HELPER_PACKAGE],
        file,
        'pip install',
      );
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    fs.writeFileSync(path.join(dir, COMPLETE), `${file}\n`);
    return { binDir };
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** sha256 of the requirements (with their -r/-c includes), the helper's sources and the Python command. */
export function environmentKey(file: string, python: string): string {
  const hash = crypto.createHash('sha256');
  hash.update(`python ${python}\n`);
  for (const f of requirementFiles(file, new Set())) hash.update(`${f}\n`).update(fs.readFileSync(f));
  for (const f of helperFiles(HELPER_PACKAGE))
    hash.update(`${path.relative(HELPER_PACKAGE, f)}\n`).update(fs.readFileSync(f));
  return hash.digest('hex').slice(0, 24);
}

function requirementFiles(file: string, seen: Set<string>): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const includes = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^\s*(?:-r|-c|--requirement|--constraint)[\s=]+(\S+)/.exec(line)?.[1])
    .filter((f): f is string => Boolean(f))
    .map((f) => path.resolve(path.dirname(file), f))
    .filter((f) => fs.existsSync(f));
  return [file, ...includes.flatMap((f) => requirementFiles(f, seen))];
}

/** The helper's pyproject and package sources (not its tests or caches), in a stable order. */
function helperFiles(dir: string): string[] {
  const src = path.join(dir, 'src');
  const files = [path.join(dir, 'pyproject.toml')];
  if (fs.existsSync(src))
    for (const f of fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).sort())
      if (/\.(py|typed)$/.test(f)) files.push(path.join(src, f));
  return files.filter((f) => fs.existsSync(f));
}

/** Takes the lock folder (mkdir is atomic); waits for a live holder, takes over a dead or stale one. */
async function acquire(lock: string): Promise<void> {
  const owner = `${os.hostname()} ${process.pid}\n`;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'owner'), owner);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (lockIsDead(lock)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await sleep(WAIT_STEP_MS);
  }
}

function lockIsDead(lock: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(lock);
  } catch {
    return false; // just released: the next mkdir decides
  }
  if (Date.now() - stat.mtimeMs > LOCK_STALE_MS) return true;
  let owner: string;
  try {
    owner = fs.readFileSync(path.join(lock, 'owner'), 'utf8');
  } catch {
    // Made but not yet written: alive unless it has stayed so for long.
    return Date.now() - stat.mtimeMs > 60_000;
  }
  const [host, pid] = owner.trim().split(' ');
  if (host !== os.hostname()) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs a build step; a failure names the requirements file and ends with the tail of the step's stderr. */
function exec(command: string, args: string[], file: string, step: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    child.on('error', (error) => reject(new Error(`${file}: ${step} could not start ${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const tail = stderr.trim().split('\n').slice(-15).join('\n');
      reject(new Error(`${file}: ${step} failed (${signal ?? `exit ${code}`})${tail ? `:\n${tail}` : ''}`));
    });
  });
}
