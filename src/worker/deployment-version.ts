import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { buildInfo } from '../util/build-info.js';

/** The Worker Deployment every mpctl worker belongs to unless told otherwise. */
export const DEFAULT_DEPLOYMENT_NAME = 'mpctl';

export interface DeploymentSettings {
  /** MPCTL_DEPLOYMENT_NAME; one name per mpctl installation (the chart uses the release name). */
  deploymentName?: string;
  /** MPCTL_BUILD_ID: the image tag where an image runs; else version and commit. */
  buildId?: string;
  /** MPCTL_WORKER_VERSIONING: poll only for this build's tasks; needs a current version set (`mpctl deployment set-current`). */
  versioning?: boolean;
}

/** The settings the worker's environment gives (flags override them). */
export function deploymentSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DeploymentSettings {
  return {
    deploymentName: env.MPCTL_DEPLOYMENT_NAME || undefined,
    buildId: env.MPCTL_BUILD_ID || undefined,
    versioning: env.MPCTL_WORKER_VERSIONING === undefined ? undefined : parseBoolean(env.MPCTL_WORKER_VERSIONING),
  };
}

/** The build id when none is given: `<package version>-<12 hex of the commit>`, or the version alone. */
export function defaultBuildId(): string {
  const { version, commit } = buildInfo();
  return commit ? `${version}-${commit.slice(0, 12)}` : version;
}

export interface WorkerVersion {
  deploymentName: string;
  buildId: string;
  versioning: boolean;
}

/** The version this worker runs as: named by the settings, else mpctl's name and the default build id. */
export function workerVersion(settings: DeploymentSettings): WorkerVersion {
  const deploymentName = settings.deploymentName ?? DEFAULT_DEPLOYMENT_NAME;
  const buildId = settings.buildId ?? defaultBuildId();
  checkName('deployment name', deploymentName);
  checkName('build id', buildId);
  return { deploymentName, buildId, versioning: settings.versioning ?? false };
}

/**
 * What the worker tells Temporal: its deployment version, with versioning on only. Off by default, as a
 * versioned worker gets no task until its build is made current. Off, it registers no version: with
 * one, even unversioned, the server would reject the workflows' behaviours (src/workflows/versioning.ts).
 */
export function workerDeploymentOptions(version: WorkerVersion): WorkerDeploymentOptions | undefined {
  if (!version.versioning) return undefined;
  // Each workflow states its behaviour; PINNED covers any that forgets, as it needs no patching.
  return {
    version: { deploymentName: version.deploymentName, buildId: version.buildId },
    useWorkerVersioning: true,
    defaultVersioningBehavior: 'PINNED',
  };
}

function checkName(what: string, value: string): void {
  // The server joins them as `<deployment>.<build id>`; a dot in the name would make that ambiguous.
  if (!value || value.length > 255 || /\s/.test(value) || (what === 'deployment name' && value.includes('.')))
    throw new Error(
      `${what} "${value}" is not usable: it must be 1-255 characters without spaces${what === 'deployment name' ? ' or dots' : ''}`,
    );
}

function parseBoolean(value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off|)$/i.test(value)) return false;
  throw new Error(`MPCTL_WORKER_VERSIONING="${value}" is not a boolean (true or false)`);
}
