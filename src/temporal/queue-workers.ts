import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

/**
 * The task queues among `queues` that no worker polls for activities: the server lists the
 * pollers it saw in the last few minutes, so a queue with none has nobody to run its jobs.
 */
export async function queuesWithoutWorkers(client: Client, queues: string[]): Promise<string[]> {
  const idle: string[] = [];
  for (const name of [...new Set(queues)].sort()) {
    const response = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    if ((response.pollers ?? []).length === 0) idle.push(name);
  }
  return idle;
}
