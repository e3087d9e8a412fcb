import type { ConnectionLike } from '@temporalio/client';
import proto from '@temporalio/proto';
import { sleep } from '../util/wait.js';

// @temporalio/proto is CommonJS: named ESM imports of it do not resolve.
const { WorkerDeploymentVersionStatus, VersionDrainageStatus } = proto.temporal.api.enums.v1;

export interface DeploymentVersionSummary {
  buildId: string;
  /** CURRENT, RAMPING, DRAINING (pinned runs left), DRAINED, INACTIVE. */
  status: string;
  /** The server's drainage check, refreshed every few minutes: DRAINING or DRAINED once no longer current. */
  drainage?: string;
  createdAt?: string;
}

export interface DeploymentDescription {
  deploymentName: string;
  currentBuildId: string | null;
  rampingBuildId: string | null;
  versions: DeploymentVersionSummary[];
}

const enumName = (names: Record<number, string>, value: number | null | undefined, prefix: string) =>
  value ? names[value]?.replace(prefix, '') : undefined;

const isoTime = (t: { seconds?: unknown } | null | undefined) =>
  t?.seconds !== undefined && t.seconds !== null ? new Date(Number(t.seconds) * 1000).toISOString() : undefined;

/** The deployment's versions and which one new workflows go to; undefined when no worker ever registered it. */
export async function describeDeployment(
  connection: ConnectionLike,
  namespace: string,
  deploymentName: string,
): Promise<DeploymentDescription | undefined> {
  let info;
  try {
    info = (await connection.workflowService.describeWorkerDeployment({ namespace, deploymentName }))
      .workerDeploymentInfo;
  } catch (error) {
    if ((error as { code?: number }).code === 5) return undefined; // NOT_FOUND
    throw error;
  }
  const routing = info?.routingConfig;
  return {
    deploymentName,
    currentBuildId: routing?.currentDeploymentVersion?.buildId || null,
    rampingBuildId: routing?.rampingDeploymentVersion?.buildId || null,
    versions: (info?.versionSummaries ?? []).map((v) => ({
      buildId: v.deploymentVersion?.buildId ?? v.version ?? '',
      status: enumName(WorkerDeploymentVersionStatus, v.status, 'WORKER_DEPLOYMENT_VERSION_STATUS_') ?? 'UNSPECIFIED',
      drainage: enumName(VersionDrainageStatus, v.drainageStatus, 'VERSION_DRAINAGE_STATUS_'),
      createdAt: isoTime(v.createTime),
    })),
  };
}

export interface SetCurrentResult {
  deploymentName: string;
  buildId: string;
  previousBuildId: string | null;
  attempts: number;
}

/**
 * Makes a build the one new workflows (and auto-upgrading ones) go to. The server refuses a build
 * whose workers have not polled yet, or that lacks a queue the current build serves; both pass
 * once the new workers are up, so it retries for `waitSeconds`.
 */
export async function setCurrentVersion(
  connection: ConnectionLike,
  options: { namespace: string; deploymentName: string; buildId: string; waitSeconds: number; identity: string },
): Promise<SetCurrentResult> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await connection.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: options.namespace,
        deploymentName: options.deploymentName,
        buildId: options.buildId,
        identity: options.identity,
      });
      return {
        deploymentName: options.deploymentName,
        buildId: options.buildId,
        previousBuildId: response.previousDeploymentVersion?.buildId || null,
        attempts: attempt,
      };
    } catch (error) {
      if (Date.now() >= deadline)
        throw new Error(
          `could not make build ${options.buildId} current in deployment ${options.deploymentName} (${attempt} attempt(s) over ${options.waitSeconds} s): ${(error as Error).message}`,
          { cause: error },
        );
      await sleep(1000);
    }
  }
}
