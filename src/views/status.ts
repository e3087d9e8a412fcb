import type { Orm } from '../db/orm.js';
import { statusCounts } from '../bookkeeping/job-records.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { planUpdate } from '../planning/planner.js';
import { removedModules, type RemovedModule } from '../external/removed-modules.js';
import { waitingLabel, type QueueWaits } from './queue-waits.js';
import type { SettleRule } from '../raw/settle.js';

export interface ModuleStatus {
  module: string;
  succeeded: number;
  failed: number;
  ready: number;
  running: number;
  skipped: number;
  cancelled: number;
  /** Why its ready or running jobs do not progress: no worker serves its task queue. */
  waitingForWorker: string | null;
}

export interface StatusView {
  modules: ModuleStatus[];
  /** Sites not planned yet because they are incomplete or still settling. */
  waiting: WaitingCounts;
  /** External modules whose folder has gone; their data stays until `mpctl drop NAME`. */
  removed: RemovedModule[];
  /** Set when Temporal could not be asked which task queues have workers. */
  queuesUnknown?: string;
}

/** Slices and sites an update does not plan yet: not submitted (no pipettes.yml) or still changing. */
export interface WaitingCounts {
  incomplete: number;
  settling: number;
}

/** Job counts per module from the job records, plus how many jobs an update would run now and how many wait. */
export async function moduleStatus(
  orm: Orm,
  registry: ModuleRegistry,
  dataRoots: string[],
  waits: QueueWaits = { byModule: {} },
  settle?: SettleRule,
): Promise<StatusView> {
  const em = orm.em.fork();
  const rows = await statusCounts(em);
  const plan = await planUpdate({ orm, registry, dataRoots, settle }, { modules: registry.names });
  const waiting = {
    incomplete: plan.waiting.filter((w) => w.reason === 'incomplete').length,
    settling: plan.waiting.filter((w) => w.reason === 'settling').length,
  };
  const modules = registry.names.map((module) => {
    const count = (status: string) =>
      Number(rows.find((row) => row.module === module && row.status === status)?.n ?? 0);
    return {
      module,
      succeeded: count('succeeded'),
      failed: count('failed'),
      ready: plan.jobs.filter((job) => job.module === module).length,
      running: count('running'),
      skipped: count('skipped'),
      cancelled: count('cancelled'),
      waitingForWorker: waits.byModule[module] ? waitingLabel(waits.byModule[module]) : null,
    };
  });
  return {
    modules,
    waiting,
    removed: await removedModules(em, registry),
    ...(waits.unknown ? { queuesUnknown: waits.unknown } : {}),
  };
}
