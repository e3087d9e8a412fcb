import type { MpctlConfig } from '../config/config.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { connectClient } from '../temporal/connection.js';
import { queuesWithoutWorkers } from '../temporal/queue-workers.js';

export interface QueueWaits {
  /** Module → the task queue its jobs wait on because no worker serves it. */
  byModule: Record<string, string>;
  /** Set when Temporal could not be asked; the waits are then unknown, not absent. */
  unknown?: string;
}

/** Which modules' jobs wait for a worker: those whose own task queue no worker polls. */
export async function queueWaits(config: MpctlConfig, registry: ModuleRegistry): Promise<QueueWaits> {
  const queued = registry.ordered.filter((m) => m.taskQueue && m.taskQueue !== config.taskQueue);
  if (queued.length === 0) return { byModule: {} };
  let client;
  try {
    client = await connectClient(config);
    const idle = new Set(
      await queuesWithoutWorkers(
        client,
        queued.map((m) => m.taskQueue!),
      ),
    );
    return {
      byModule: Object.fromEntries(queued.filter((m) => idle.has(m.taskQueue!)).map((m) => [m.name, m.taskQueue!])),
    };
  } catch (error) {
    return { byModule: {}, unknown: `task queues not checked: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    await client?.connection.close();
  }
}

/** What a user reads for a module whose jobs wait on a queue nobody serves. */
export const waitingLabel = (queue: string) => `waiting for a worker on task queue "${queue}"`;
