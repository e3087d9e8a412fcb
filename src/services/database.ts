import type { MpctlConfig } from '../config/config.js';
import { openOrm, type Orm } from '../db/orm.js';
import { ConfigError } from '../errors/index.js';

/** Opens the ORM for one CLI command and always closes it. */
export async function withOrm<T>(config: MpctlConfig, work: (orm: Orm) => Promise<T>): Promise<T> {
  if (!config.databaseUrl)
    throw new ConfigError(
      'no database configured: start the embedded stack with `mpctl up --detach`, or set MPCTL_DATABASE_URL',
    );
  const orm = await openOrm(config.databaseUrl, { poolMax: 4 });
  try {
    return await work(orm);
  } finally {
    await orm.close();
  }
}
