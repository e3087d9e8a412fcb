import type { Client } from '@temporalio/client';
import type { MpctlConfig } from '../config/config.js';
import { connectClient } from '../temporal/connection.js';

/** Runs `use` with a Temporal client and closes its connection whatever happens. */
export async function withClient<T>(config: MpctlConfig, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(config);
  try {
    return await use(client);
  } finally {
    await client.connection.close();
  }
}
