import os from 'node:os';
import { Flags } from '@oclif/core';
import { connectClient } from '../../../temporal/connection.js';
import { setCurrentVersion, type SetCurrentResult } from '../../../temporal/worker-deployment.js';
import { MpctlCommand } from '../../base-command.js';
import { deploymentNameFlag } from '../../deployment-flags.js';

export default class DeploymentSetCurrent extends MpctlCommand<typeof DeploymentSetCurrent> {
  static override summary = 'Send new experiments to a build: make it the current version of the Worker Deployment.';
  static override description = `Run it once the new build's workers (mpctl worker --versioning) are up. New experiments and running updates move to it; experiments already running stay pinned to the build that started them, whose workers stop when "mpctl deployment describe" shows it DRAINED.
Waits (--wait) until the build's workers poll every queue the current build serves; exits 1 if they do not.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --build-id 2.1.0',
    'MPCTL_DEPLOYMENT_NAME=lab-mpctl <%= config.bin %> <%= command.id %> --build-id "$IMAGE_TAG" --wait 600 --json',
  ];
  static override flags = {
    'deployment-name': deploymentNameFlag,
    'build-id': Flags.string({
      description: 'The build to make current: what its workers report [env: MPCTL_BUILD_ID]',
      default: process.env.MPCTL_BUILD_ID || undefined,
      required: !process.env.MPCTL_BUILD_ID,
    }),
    wait: Flags.integer({
      description: "Seconds to wait for the build's workers to poll",
      default: 120,
      min: 0,
    }),
  };

  async run(): Promise<SetCurrentResult> {
    const config = this.settings();
    const client = await connectClient(config);
    try {
      const result = await setCurrentVersion(client.connection, {
        namespace: config.namespace,
        deploymentName: this.flags['deployment-name'],
        buildId: this.flags['build-id']!,
        waitSeconds: this.flags.wait,
        identity: `mpctl deployment set-current ${process.pid}@${os.hostname()}`,
      });
      this.say(
        `deployment ${result.deploymentName}: build ${result.buildId} is current (was ${result.previousBuildId ?? 'none'}); experiments running on the previous build finish there`,
      );
      return result;
    } catch (error) {
      this.error((error as Error).message, { exit: 1 });
    } finally {
      await client.connection.close();
    }
  }
}
