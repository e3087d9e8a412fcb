import type { MpctlConfig } from '../config/config.js';
import { ConfigError } from '../errors/index.js';
import type { ModuleRegistry } from '../modules/index.js';
import { openOrm, type Orm } from './orm.js';

/** The database URL, or the one usage error (exit 2) every command and the worker give without it. */
export function requireDatabaseUrl(config: MpctlConfig): string {
  if (config.databaseUrl) return config.databaseUrl;
  throw new ConfigError(
    'no database configured: start the embedded stack with `mpctl up --detach`, or set MPCTL_DATABASE_URL',
  );
}

/** Opens the ORM for one CLI command and always closes it. */
export async function withOrm<T>(
  config: MpctlConfig,
  work: (orm: Orm) => Promise<T>,
  registry?: ModuleRegistry,
): Promise<T> {
  const orm = await openOrm(requireDatabaseUrl(config), { poolMax: 4, registry });
  try {
    return await work(orm);
  } finally {
    await orm.close();
  }
}
