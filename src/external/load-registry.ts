import type { MpctlConfig } from '../config/config.js';
import { ConfigError } from '../errors/index.js';
import { bookkeepingEntities } from '../bookkeeping/entities.js';
import { ModuleRegistry, pipelineModules } from '../modules/index.js';
import type { PipelineModule } from '../modules/types.js';
import { loadManifests, manifestsSignature } from './discover.js';
import { externalModule, type ExternalSettings } from './external-module.js';
import type { ModuleManifest } from './manifest.js';
import { ensureModuleEnv } from './python-env.js';

/** Table names no external module may take: the bookkeeping's, MikroORM's and the built-in modules'. */
function reservedTables(builtins: PipelineModule[]): Map<string, string> {
  const reserved = new Map<string, string>();
  for (const schema of bookkeepingEntities) reserved.set(schema.meta.tableName!, 'mpctl bookkeeping');
  for (const m of builtins) for (const t of m.tables) reserved.set(t, `built-in module ${m.name}`);
  return reserved;
}

/** Every manifest problem that needs the whole module set, as a ConfigError naming the file and key. */
function checkAgainstSet(manifests: ModuleManifest[], builtins: PipelineModule[]): void {
  const names = new Set([...builtins.map((m) => m.name), ...manifests.map((m) => m.name)]);
  const reserved = reservedTables(builtins);
  const builtinNames = new Set(builtins.map((m) => m.name));
  for (const manifest of manifests) {
    if (builtinNames.has(manifest.name))
      throw new ConfigError(`${manifest.file}: name: "${manifest.name}" is a built-in module`);
    for (const dep of manifest.dependencies) {
      if (!names.has(dep))
        throw new ConfigError(
          `${manifest.file}: dependencies: unknown module "${dep}" (known: ${[...names].sort().join(', ')})`,
        );
    }
    for (const table of Object.keys(manifest.tables)) {
      const owner = reserved.get(table) ?? (/^(pipeline_|mikro_orm_)/.test(table) ? 'mpctl' : undefined);
      if (owner) throw new ConfigError(`${manifest.file}: tables.${table}: the name is taken by ${owner}`);
    }
  }
}

/** The URL programs get: the configured module role's, else the pipeline's in read-only sessions. */
export function readOnlyUrl(config: Pick<MpctlConfig, 'databaseUrl' | 'moduleDatabaseUrl'>): string {
  const base = config.moduleDatabaseUrl ?? config.databaseUrl ?? '';
  if (!base) return '';
  const url = new URL(base);
  url.searchParams.set('options', '-c default_transaction_read_only=on');
  return url.toString().replace(/\+/g, '%20');
}

export type ModulesConfig = Pick<MpctlConfig, 'modulePaths' | 'resultsRoot' | 'databaseUrl' | 'moduleDatabaseUrl'>;

export function externalSettings(config: ModulesConfig): ExternalSettings {
  return {
    moduleDatabaseUrl: readOnlyUrl(config),
    resultsRoot: config.resultsRoot,
    // A `python:` module runs with its pinned environment (built once, cached by content) first on PATH.
    binDirs: async (manifest) =>
      manifest.pythonRequirements ? [(await ensureModuleEnv(manifest.dir, manifest.pythonRequirements)).binDir] : [],
  };
}

export interface LoadedModules {
  registry: ModuleRegistry;
  manifests: ModuleManifest[];
}

/** The built-in modules plus the external ones found through the config's module paths. */
export function loadModules(config: ModulesConfig, builtins: PipelineModule[] = pipelineModules): LoadedModules {
  const manifests = loadManifests(config.modulePaths);
  checkAgainstSet(manifests, builtins);
  const settings = externalSettings(config);
  try {
    return {
      registry: new ModuleRegistry([...builtins, ...manifests.map((m) => externalModule(m, settings))]),
      manifests,
    };
  } catch (error) {
    if (error instanceof ConfigError && /cycle/.test(error.message)) {
      const files = manifests.filter((m) => error.message.includes(`"${m.name}"`) || error.message.includes(m.name));
      throw new ConfigError(`${files.map((m) => m.file).join(', ')}: dependencies: ${error.message}`);
    }
    throw error;
  }
}

/** The registry a long-running worker uses: reloaded when a module.yml appears, changes or goes. */
export class LiveModules {
  private loaded: LoadedModules;
  private signature: string;
  private checkedAt = 0;

  constructor(
    private readonly config: ModulesConfig,
    private readonly builtins: PipelineModule[] = pipelineModules,
    private readonly checkEveryMs = 1_000,
  ) {
    this.loaded = loadModules(config, builtins);
    this.signature = manifestsSignature(config.modulePaths);
  }

  /**
   * The modules as the folders hold them now, not as last checked: what an update syncs tables
   * for must be what it then plans with (a folder copied in a moment ago included).
   */
  fresh(): LoadedModules {
    this.checkedAt = 0;
    return this.current;
  }

  /** The current modules; a manifest that became bad keeps the last good set and throws its error. */
  get current(): LoadedModules {
    const now = Date.now();
    if (now - this.checkedAt >= this.checkEveryMs) {
      this.checkedAt = now;
      const signature = manifestsSignature(this.config.modulePaths);
      if (signature !== this.signature) {
        this.loaded = loadModules(this.config, this.builtins);
        this.signature = signature;
      }
    }
    return this.loaded;
  }

  get registry(): ModuleRegistry {
    return this.current.registry;
  }
}
