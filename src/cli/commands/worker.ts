import { Flags } from '@oclif/core';
import { deploymentSettingsFromEnv } from '../../worker/deployment-version.js';
import { startWorker } from '../../worker/start-worker.js';
import { MpctlCommand } from '../base-command.js';

const envInt = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

export default class WorkerCommand extends MpctlCommand<typeof WorkerCommand> {
  static override summary =
    'Run a worker: pipeline workflows and module activities for the mpctl task queue, and the queues modules name.';
  static override description = `Serves /health, /ready and /metrics (Prometheus: temporal_* SDK metrics, mpctl_jobs_total, mpctl_job_duration_seconds, and process_* / nodejs_* runtime metrics).
On SIGTERM it stops polling, lets running jobs finish for the grace time, then hands the rest back to Temporal for another worker.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --versioning --build-id 2.1.0   # then: mpctl deployment set-current --build-id 2.1.0',
    '<%= config.bin %> <%= command.id %> --task-queue python --task-queue highmem   # a pool for modules that name these queues',
    'MPCTL_DATABASE_URL=postgresql://… TEMPORAL_ADDRESS=temporal:7233 <%= config.bin %> <%= command.id %> --concurrency 4',
  ];
  static override flags = {
    concurrency: Flags.integer({
      description: 'Module jobs run at once [env: MPCTL_MAX_CONCURRENT_ACTIVITIES]',
      default: envInt('MPCTL_MAX_CONCURRENT_ACTIVITIES', 4),
      min: 1,
    }),
    'health-port': Flags.integer({
      description: 'Port for /health, /ready, /metrics [env: MPCTL_HEALTH_PORT]',
      default: envInt('MPCTL_HEALTH_PORT', 8080),
    }),
    // All interfaces by default so kubelet and Prometheus reach it in a pod; loopback for local runs and tests.
    'health-host': Flags.string({
      description: 'Address the health port binds to [env: MPCTL_HEALTH_HOST]',
      default: process.env.MPCTL_HEALTH_HOST || '0.0.0.0',
    }),
    'task-queue': Flags.string({
      description:
        "A task queue to serve (repeatable). mpctl's own queue runs the workflows and built-in modules; a queue a module names in module.yml runs that module's jobs. Default: mpctl's queue and every queue a module names",
      multiple: true,
    }),
    'deployment-name': Flags.string({
      description: 'Worker Deployment this worker belongs to (no dots) [env: MPCTL_DEPLOYMENT_NAME; default: mpctl]',
    }),
    'build-id': Flags.string({
      description:
        'Build id of this worker: the image tag in a container [env: MPCTL_BUILD_ID; default: <version>-<commit>]',
    }),
    versioning: Flags.boolean({
      description:
        'Take only tasks routed to this build: experiments stay on the build that started them. The build gets work once made current (mpctl deployment set-current) [env: MPCTL_WORKER_VERSIONING]',
      allowNo: true,
    }),
    'shutdown-grace': Flags.integer({
      description: 'Seconds running jobs get to finish on SIGTERM [env: MPCTL_SHUTDOWN_GRACE_SECONDS]',
      default: envInt('MPCTL_SHUTDOWN_GRACE_SECONDS', 30),
    }),
  };

  async run(): Promise<{ stopped: true }> {
    const config = this.settings();
    const fromEnv = deploymentSettingsFromEnv();
    const worker = await startWorker(config, {
      maxConcurrentActivities: this.flags.concurrency,
      maxConcurrentWorkflowTasks: process.env.MPCTL_MAX_CONCURRENT_WORKFLOW_TASKS
        ? Number(process.env.MPCTL_MAX_CONCURRENT_WORKFLOW_TASKS)
        : undefined,
      shutdownGraceSeconds: this.flags['shutdown-grace'],
      taskQueues: this.flags['task-queue'],
      healthPort: this.flags['health-port'],
      healthHost: this.flags['health-host'],
      sdkMetrics: true,
      deployment: {
        deploymentName: this.flags['deployment-name'] ?? fromEnv.deploymentName,
        buildId: this.flags['build-id'] ?? fromEnv.buildId,
        versioning: this.flags.versioning ?? fromEnv.versioning,
      },
    });
    const { version } = worker;
    this.say(
      `worker polling task queue(s) ${worker.taskQueues.map((q) => `"${q}"`).join(', ')} on ${config.temporalAddress} (namespace ${config.namespace}) as deployment ${version.deploymentName} build ${version.buildId}, versioning ${version.versioning ? 'on' : 'off'}; health at ${worker.healthUrl}`,
    );
    await worker.run();
    this.say('worker stopped');
    return { stopped: true };
  }
}
