import { connectClient } from '../../../temporal/connection.js';
import { describeDeployment, type DeploymentDescription } from '../../../temporal/worker-deployment.js';
import { MpctlCommand } from '../../base-command.js';
import { table } from '../../table.js';
import { deploymentNameFlag } from '../../deployment-flags.js';

export default class DeploymentDescribe extends MpctlCommand<typeof DeploymentDescribe> {
  static override summary = "Show a Worker Deployment's builds: which is current, which still run pinned experiments.";
  static override description =
    'A build no longer current is DRAINING while experiments it started still run, and DRAINED after; stop its workers then. The server refreshes drainage every few minutes.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];
  static override flags = { 'deployment-name': deploymentNameFlag };

  async run(): Promise<DeploymentDescription> {
    const config = this.settings();
    const name = this.flags['deployment-name'];
    const client = await connectClient(config);
    try {
      const found = await describeDeployment(client.connection, config.namespace, name);
      if (!found)
        this.error(`no Worker Deployment "${name}" in namespace ${config.namespace}: no versioned worker has polled`, {
          exit: 1,
        });
      this.say(
        `deployment ${name}: current build ${found.currentBuildId ?? 'none'}${found.rampingBuildId ? `, ramping ${found.rampingBuildId}` : ''}\n` +
          table(
            ['build', 'status', 'drainage', 'created'],
            found.versions.map((v) => [v.buildId, v.status, v.drainage ?? '', v.createdAt ?? '']),
          ),
      );
      return found;
    } finally {
      await client.connection.close();
    }
  }
}
