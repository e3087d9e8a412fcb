import { ConfigError } from '../errors/index.js';
import type http from 'node:http';
import { Runtime, Worker } from '@temporalio/worker';
import { createActivities, WORKER_IDENTITY } from '../activities/index.js';
import type { MpctlConfig } from '../config/config.js';
import { openOrm, type Orm } from '../schema/orm.js';
import { requireDatabaseUrl } from '../schema/with-orm.js';
import { LiveModules } from '../external/load-registry.js';
import { syncExternalTables } from '../external/sync-tables.js';
import { connectClient, connectWorker } from '../temporal/connection.js';
import { findFreePort } from '../util/ports.js';
import {
  workerDeploymentOptions,
  workerVersion,
  type DeploymentSettings,
  type WorkerVersion,
} from './deployment-version.js';
import { startHealthServer } from './health-server.js';
import { JobMetrics, runtimeMetrics } from './metrics.js';
import { workflowCode } from './workflow-code.js';
import { closeAnalysisThreads } from '../modules/connection_strength/pair-analyses.js';

export interface WorkerSettings {
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks?: number;
  /** Running jobs get this long to finish on SIGTERM before they are cancelled and retried elsewhere. */
  shutdownGraceSeconds: number;
  /** Port for /health, /ready and /metrics; none when undefined. */
  healthPort?: number;
  healthHost?: string;
  /**
   * The task queues served: mpctl's own (workflows and every activity) and queues that modules
   * name (their activities only). Default: mpctl's and every queue a module names at start-up.
   */
  taskQueues?: string[];
  /** Install the Prometheus exporter (once per process, before any connection). */
  sdkMetrics?: boolean;
  /** The deployment version reported to Temporal, and whether the server routes by it. */
  deployment?: DeploymentSettings;
}

export interface RunningWorker {
  worker: Worker;
  orm: Orm;
  healthUrl?: string;
  /** Resolves when the worker has stopped and its resources are closed. */
  run(): Promise<void>;
  /** The task queues this worker polls. */
  taskQueues: string[];
  version: WorkerVersion;
  shutdown(): void;
}

/** How often a worker that serves every queue looks for queues that modules added since. */
const QUEUE_CHECK_MS = 5_000;

/** How long after the grace time a shutdown stops waiting for jobs that did not give up. */
export const FORCED_SHUTDOWN_AFTER_GRACE_SECONDS = 15;

/** Builds a worker with real dependencies: the ORM, the module registry and the data roots. */
export async function startWorker(config: MpctlConfig, settings: WorkerSettings): Promise<RunningWorker> {
  const databaseUrl = requireDatabaseUrl(config);
  // Checked first: a bad name fails before any connection is opened.
  const version = workerVersion(settings.deployment ?? {});
  const deploymentOptions = workerDeploymentOptions(version);
  let sdkMetricsUrl: string | undefined;
  if (settings.sdkMetrics) {
    const port = await findFreePort();
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } } });
    sdkMetricsUrl = `http://127.0.0.1:${port}/metrics`;
  }
  const modules = new LiveModules(config);
  // A bad declaration stops the worker here; an unreachable database does not: the worker must
  // start polling and recover when it returns, and every update syncs the tables before it plans.
  await syncExternalTables(databaseUrl, modules.current.manifests).catch((error: Error) => {
    if (error instanceof ConfigError) throw error;
    console.error(`external module tables not checked at start (${error.message.split('\n')[0]}); updates check them`);
  });
  const orm = await openOrm(databaseUrl, { poolMax: settings.maxConcurrentActivities + 4 });
  const metrics = new JobMetrics();
  const client = await connectClient(config);
  const activities = createActivities({
    orm,
    get registry() {
      return modules.registry;
    },
    // A module.yml added or changed since start-up gets its tables before the update plans it.
    prepareModules: async () => void (await syncExternalTables(databaseUrl, modules.fresh().manifests)),
    dataRoots: config.dataRoots,
    resultsRoot: config.resultsRoot,
    settle: config.settle,
    client,
    onJobFinished: (m, o, s) => metrics.record(m, o, s),
  });
  const connection = await connectWorker(config);
  const queues = servedQueues(config.taskQueue, settings.taskQueues, modules.registry.ordered);
  const createFor = (taskQueue: string) =>
    Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue,
      identity: WORKER_IDENTITY,
      // Every queue of one process is one deployment version, so a pinned run's activities stay on its build.
      workerDeploymentOptions: deploymentOptions,
      // Workflows run on mpctl's queue only; a module's own queue carries its activities.
      ...(taskQueue === config.taskQueue ? workflowCode() : {}),
      activities,
      maxConcurrentActivityTaskExecutions: settings.maxConcurrentActivities,
      maxConcurrentWorkflowTaskExecutions: settings.maxConcurrentWorkflowTasks,
      shutdownGraceTime: `${settings.shutdownGraceSeconds} seconds`,
      // A job that ignores its cancellation (stuck in a driver, say) must not keep the worker
      // alive: past this the worker gives up and exits; Temporal retries the job elsewhere.
      shutdownForceTime: `${settings.shutdownGraceSeconds + FORCED_SHUTDOWN_AFTER_GRACE_SECONDS} seconds`,
    });
  const workers = await Promise.all(queues.map(createFor));
  const runs: Promise<void>[] = [];
  let running = false;
  let stopping = false;
  // A worker serving every queue (no --task-queue) also serves a queue that a module added while it
  // runs names: modules are picked up without a restart, so their queues must be too.
  const watchQueues = settings.taskQueues?.length
    ? undefined
    : setInterval(() => {
        let wanted: string[];
        try {
          wanted = servedQueues(config.taskQueue, undefined, modules.registry.ordered);
        } catch {
          return; // a manifest that became bad: the update that plans it reports the error
        }
        for (const taskQueue of wanted.filter((q) => !queues.includes(q))) {
          queues.push(taskQueue);
          void createFor(taskQueue).then(
            (added) => {
              workers.push(added);
              if (stopping) return;
              if (running) runs.push(added.run());
            },
            (error: Error) => {
              queues.splice(queues.indexOf(taskQueue), 1);
              console.error(`cannot serve task queue "${taskQueue}": ${error.message}`);
            },
          );
        }
      }, QUEUE_CHECK_MS);
  watchQueues?.unref();
  const worker = workers[0]!;
  let server: http.Server | undefined;
  if (settings.healthPort !== undefined) {
    server = await startHealthServer(settings.healthPort, settings.healthHost ?? '0.0.0.0', {
      isReady: () => workers.every((w) => w.getState() === 'RUNNING'),
      metrics: async () => {
        const sdk = sdkMetricsUrl
          ? await fetch(sdkMetricsUrl)
              .then((r) => r.text())
              .catch(() => '')
          : '';
        return sdk + metrics.render() + (await runtimeMetrics());
      },
    });
  }
  const address = server?.address();
  return {
    worker,
    orm,
    healthUrl: address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : undefined,
    async run() {
      running = true;
      runs.push(...workers.map((w) => w.run()));
      try {
        // Queues added while running join `runs`; wait until no new one came in meanwhile.
        for (let seen = 0; seen < runs.length;) {
          seen = runs.length;
          await Promise.all(runs.slice());
        }
      } finally {
        clearInterval(watchQueues);
        server?.close();
        await connection.close();
        await client.connection.close();
        await orm.close();
        await closeAnalysisThreads();
      }
    },
    taskQueues: queues,
    version,
    shutdown: () => {
      stopping = true;
      clearInterval(watchQueues);
      workers.forEach((w) => w.shutdown());
    },
  };
}

/** The queues a worker serves: the ones asked for, else mpctl's own plus every queue a module names. */
export function servedQueues(own: string, asked: string[] | undefined, modules: { taskQueue?: string }[]): string[] {
  const queues = asked?.length ? asked : [own, ...modules.flatMap((m) => (m.taskQueue ? [m.taskQueue] : []))];
  return [...new Set(queues)];
}
