import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { readStackState, type StackState } from './stack-state.js';
import { DEFAULT_SETTLE_SECONDS, parseSettleSeconds, type SettleRule } from '../raw/settle.js';

/** Everything a CLI command or a worker needs to reach the database, Temporal and the raw data. */
export interface MpctlConfig {
  home: string;
  databaseUrl?: string;
  temporalAddress?: string;
  namespace: string;
  taskQueue: string;
  uiUrl?: string;
  dataRoots: string[];
  /** True when data roots came from a flag, the environment or a config file, not the default. */
  dataRootsExplicit: boolean;
  temporalCliPath?: string;
  tls?: TemporalTlsConfig;
  apiKey?: string;
  /** Folders holding external module folders (each with a module.yml); the repository's modules/ is added to them. */
  modulePaths: string[];
  /** Where external modules' output files are kept, one folder per job. */
  resultsRoot: string;
  /** The connection external modules read upstream results through; a read-only session on the database by default. */
  moduleDatabaseUrl?: string;
  /** How long raw files stay unchanged before their jobs are planned (per data root where the config file says so). */
  settle: SettleRule;
  /** Where each setting came from, for `stack info` and error messages. */
  sources: Partial<Record<ConfigKey, ConfigSource>>;
  /** The running embedded stack found under `home`, if any. */
  stack?: StackState;
}

export interface TemporalTlsConfig {
  serverNameOverride?: string;
  serverRootCaCertPath?: string;
  clientCertPath?: string;
  clientKeyPath?: string;
}

export type ConfigKey =
  'databaseUrl' | 'temporalAddress' | 'namespace' | 'taskQueue' | 'dataRoots' | 'uiUrl' | 'temporalCliPath';
export type ConfigSource = 'flag' | 'env' | 'file' | 'stack' | 'default';

export type ConfigOverrides = Partial<{
  home: string;
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  dataRoots: string[];
  temporalCliPath: string;
}>;

interface ConfigFile {
  databaseUrl?: string;
  modulePaths?: string[];
  resultsRoot?: string;
  moduleDatabaseUrl?: string;
  temporalAddress?: string;
  namespace?: string;
  taskQueue?: string;
  uiUrl?: string;
  /** A root is a path, or `{ "path", "settleSeconds" }` for a root with its own settle time. */
  dataRoots?: (string | { path: string; settleSeconds?: number })[];
  settleSeconds?: number;
  temporalCliPath?: string;
  tls?: TemporalTlsConfig;
  apiKey?: string;
}

export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_TASK_QUEUE = 'mpctl';
export const CONFIG_FILE_NAME = 'mpctl.config.json';

/** Resolves settings in the documented order: flags, then environment, then mpctl.config.json, then the running stack, then defaults. */
export function resolveConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): MpctlConfig {
  const file = readConfigFile(env, cwd);
  const fileDir = file.dir ?? cwd;
  const home = path.resolve(cwd, overrides.home ?? env.MPCTL_HOME ?? '.mpctl');
  const stack = readStackState(home);
  const sources: MpctlConfig['sources'] = {};

  const pick = <T>(
    key: ConfigKey,
    flag: T | undefined,
    envValue: T | undefined,
    fileValue: T | undefined,
    stackValue: T | undefined,
    fallback?: T,
  ): T | undefined => {
    const candidates: Array<[T | undefined, ConfigSource]> = [
      [flag, 'flag'],
      [envValue, 'env'],
      [fileValue, 'file'],
      [stackValue, 'stack'],
      [fallback, 'default'],
    ];
    for (const [value, source] of candidates) {
      if (value !== undefined && value !== '') {
        sources[key] = source;
        return value;
      }
    }
    return undefined;
  };

  const envRoots = env.MPCTL_DATA_ROOTS ? env.MPCTL_DATA_ROOTS.split(':').filter(Boolean) : undefined;
  const fileRoots = file.config.dataRoots?.map((root) =>
    path.resolve(fileDir, typeof root === 'string' ? root : root.path),
  );
  const dataRoots = pick('dataRoots', overrides.dataRoots, envRoots, fileRoots, stack?.dataRoots, [
    path.resolve(cwd, 'data'),
  ])!;
  const namespace = pick(
    'namespace',
    overrides.namespace,
    env.TEMPORAL_NAMESPACE,
    file.config.namespace,
    stack?.namespace,
    DEFAULT_NAMESPACE,
  )!;

  return {
    home,
    databaseUrl: pick(
      'databaseUrl',
      overrides.databaseUrl,
      env.MPCTL_DATABASE_URL,
      file.config.databaseUrl,
      stack?.databaseUrl,
    ),
    temporalAddress: pick(
      'temporalAddress',
      overrides.temporalAddress,
      env.TEMPORAL_ADDRESS,
      file.config.temporalAddress,
      stack?.temporalAddress,
    ),
    namespace,
    taskQueue: pick(
      'taskQueue',
      overrides.taskQueue,
      env.MPCTL_TASK_QUEUE,
      file.config.taskQueue,
      stack?.taskQueue,
      DEFAULT_TASK_QUEUE,
    )!,
    uiUrl: pick('uiUrl', undefined, env.MPCTL_UI_URL, file.config.uiUrl, stack?.uiUrl),
    dataRoots: dataRoots.map((root) => path.resolve(cwd, root)),
    dataRootsExplicit: sources.dataRoots !== 'default',
    temporalCliPath: pick(
      'temporalCliPath',
      overrides.temporalCliPath,
      env.TEMPORAL_CLI_PATH,
      file.config.temporalCliPath,
      undefined,
    ),
    tls: tlsFromEnv(env) ?? tlsFromFile(file.config.tls, fileDir),
    apiKey: env.TEMPORAL_API_KEY ?? file.config.apiKey,
    modulePaths: env.MPCTL_MODULE_PATHS
      ? env.MPCTL_MODULE_PATHS.split(':')
          .filter(Boolean)
          .map((dir) => path.resolve(cwd, dir))
      : (file.config.modulePaths ?? []).map((dir) => path.resolve(fileDir, dir)),
    resultsRoot: path.resolve(
      cwd,
      env.MPCTL_RESULTS_ROOT ??
        (file.config.resultsRoot ? path.resolve(fileDir, file.config.resultsRoot) : path.join(home, 'results')),
    ),
    moduleDatabaseUrl: env.MPCTL_MODULE_DATABASE_URL || file.config.moduleDatabaseUrl,
    settle: settleRule(env, file.config, fileDir),
    sources,
    stack,
  };
}

function settleRule(env: NodeJS.ProcessEnv, file: ConfigFile, dir: string): SettleRule {
  const seconds =
    parseSettleSeconds(env.MPCTL_SETTLE_SECONDS, 'MPCTL_SETTLE_SECONDS') ??
    parseSettleSeconds(file.settleSeconds, `${CONFIG_FILE_NAME} settleSeconds`) ??
    DEFAULT_SETTLE_SECONDS;
  const byRoot: Record<string, number> = {};
  for (const root of file.dataRoots ?? []) {
    if (typeof root === 'string') continue;
    const own = parseSettleSeconds(root.settleSeconds, `${CONFIG_FILE_NAME} dataRoots ${root.path}`);
    if (own !== undefined) byRoot[path.resolve(dir, root.path)] = own;
  }
  return { seconds, byRoot };
}

function tlsFromEnv(env: NodeJS.ProcessEnv): TemporalTlsConfig | undefined {
  const tls: TemporalTlsConfig = {
    serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME,
    serverRootCaCertPath: env.TEMPORAL_TLS_CA,
    clientCertPath: env.TEMPORAL_TLS_CERT,
    clientKeyPath: env.TEMPORAL_TLS_KEY,
  };
  const enabled = env.TEMPORAL_TLS === 'true' || Object.values(tls).some(Boolean);
  return enabled ? tls : undefined;
}

/** Certificate paths in mpctl.config.json are relative to the file, as its data roots are. */
function tlsFromFile(tls: TemporalTlsConfig | undefined, dir: string): TemporalTlsConfig | undefined {
  if (!tls) return undefined;
  const resolve = (file?: string) => (file ? path.resolve(dir, file) : undefined);
  return {
    ...tls,
    serverRootCaCertPath: resolve(tls.serverRootCaCertPath),
    clientCertPath: resolve(tls.clientCertPath),
    clientKeyPath: resolve(tls.clientKeyPath),
  };
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): { config: ConfigFile; dir?: string } {
  const file = env.MPCTL_CONFIG ? path.resolve(cwd, env.MPCTL_CONFIG) : path.join(cwd, CONFIG_FILE_NAME);
  if (!fs.existsSync(file)) return { config: {} };
  try {
    return { config: JSON.parse(fs.readFileSync(file, 'utf8')) as ConfigFile, dir: path.dirname(file) };
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

/** Writes data roots into mpctl.config.json, keeping its other settings. */
export function saveDataRoots(roots: string[], cwd = process.cwd()): string {
  const file = path.join(cwd, CONFIG_FILE_NAME);
  const current: ConfigFile = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  // A root kept keeps its own settle time.
  const own = new Map(
    (current.dataRoots ?? []).flatMap((r) => (typeof r === 'string' ? [] : [[path.resolve(cwd, r.path), r] as const])),
  );
  current.dataRoots = roots.map((root) => own.get(path.resolve(cwd, root)) ?? root);
  fs.writeFileSync(file, JSON.stringify(current, null, 2) + '\n');
  return file;
}

/** Replaces the password of a connection URL so it can be printed or logged. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
