import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index.js';
import { createRegistry, type ModuleRegistry } from '../../src/modules/index.js';
import type { PipelineModule } from '../../src/modules/types.js';
import {
  WorkflowNames,
  type PipelineUpdateInput,
  type UpdateProgress,
} from '../../src/workflow-safe/workflow-types.js';
import { updateWorkflowId } from '../../src/workflow-safe/job-ids.js';
import { workflowCode } from '../../src/worker/workflow-code.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TEST_NAMESPACE, testServers } from './servers.js';

export interface TestPipeline {
  db: TestDatabase;
  client: Client;
  registry: ModuleRegistry;
  taskQueue: string;
  dataRoots: string[];
  /** Runs one update to completion through the real worker and returns its final progress. */
  update(input?: Partial<PipelineUpdateInput>): Promise<UpdateProgress>;
  /** Swaps the module list the worker uses (e.g. a bumped version; the same tables) without restarting Temporal. */
  useModules(modules: PipelineModule[]): Promise<void>;
  close(): Promise<void>;
}

let runtimeInstalled = false;

/** A real worker on its own task queue and database, against the suite's Temporal and PostgreSQL. */
export async function startTestPipeline(
  dataRoots: string[],
  modules?: PipelineModule[],
  options: { maxConcurrentActivities?: number } = {},
): Promise<TestPipeline> {
  if (!runtimeInstalled) {
    // Worker state changes and expected job failures would drown the test report.
    Runtime.install({ logger: new DefaultLogger(process.env.MPCTL_TEST_VERBOSE ? 'INFO' : 'ERROR') });
    runtimeInstalled = true;
  }
  const servers = await testServers();
  let registry = createRegistry(modules);
  const db = await createTestDatabase(registry);
  const taskQueue = `test-${crypto.randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address: servers.temporalAddress });
  const client = new Client({ connection, namespace: TEST_NAMESPACE });
  const nativeConnection = await NativeConnection.connect({ address: servers.temporalAddress });
  let worker: Worker;
  let running: Promise<void>;
  const launch = async () => {
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: TEST_NAMESPACE,
      taskQueue,
      ...workflowCode(),
      activities: createActivities({ orm: db.orm, registry, dataRoots, client }),
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities ?? 4,
    });
    running = worker.run();
  };
  await launch();
  let counter = 0;
  return {
    db,
    client,
    taskQueue,
    dataRoots,
    get registry() {
      return registry;
    },
    async update(input = {}) {
      const updateId = `${taskQueue}-${++counter}`;
      return client.workflow.execute(WorkflowNames.pipelineUpdate, {
        taskQueue,
        workflowId: updateWorkflowId(updateId),
        args: [{ updateId, modules: registry.names, parallel: 4, ...input } satisfies PipelineUpdateInput],
      });
    },
    async useModules(next) {
      worker.shutdown();
      await running;
      registry = createRegistry(next);
      await launch();
    },
    async close() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await db.drop();
    },
  };
}
