import { Flags } from '@oclif/core';
import { ConfigError } from '../../errors/index.js';
import { cancelAndWait, runningExperimentWorkflows } from '../../temporal/experiment-workflows.js';
import { experimentWorkflowId, updateWorkflowId } from '../../workflow-safe/job-ids.js';
import { WorkflowNames } from '../../workflow-safe/workflow-types.js';
import { connectClient } from '../../temporal/connection.js';
import { MpctlCommand } from '../base-command.js';

export default class Cancel extends MpctlCommand<typeof Cancel> {
  static override summary =
    'Cancel running updates or experiments; running jobs stop within seconds and keep no partial rows.';
  static override description =
    'Cancelled jobs are recorded as `cancelled` and run again (reason `new`) on the next update.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --all',
    '<%= config.bin %> <%= command.id %> --update 20261122-031500-ab12',
    '<%= config.bin %> <%= command.id %> --experiment 2026-10-03_slice1/site_2',
  ];
  static override flags = {
    experiment: Flags.string({
      char: 'e',
      description: 'Cancel these experiments; repeat for several',
      multiple: true,
      exclusive: ['update', 'all'],
    }),
    update: Flags.string({
      description: 'Cancel this update and the experiments it started',
      exclusive: ['experiment', 'all'],
    }),
    all: Flags.boolean({
      description: 'Cancel every running update, experiment and drop',
      exclusive: ['experiment', 'update'],
    }),
    timeout: Flags.integer({ description: 'Seconds to wait for everything to stop', default: 30 }),
  };

  async run(): Promise<{ cancelled: string[]; stillRunning: string[] }> {
    const { experiment, update, all, timeout } = this.flags;
    if (!experiment?.length && !update && !all)
      throw new ConfigError('say what to cancel: --experiment ID, --update ID or --all');
    const client = await connectClient(this.settings());
    try {
      let ids: string[];
      if (all) {
        ids = [];
        const types = Object.values(WorkflowNames)
          .map((t) => `'${t}'`)
          .join(', ');
        for await (const wf of client.workflow.list({
          query: `ExecutionStatus = 'Running' AND WorkflowType IN (${types})`,
        }))
          ids.push(wf.workflowId);
      } else if (update) {
        ids = [updateWorkflowId(update)];
      } else {
        const running = new Set(await runningExperimentWorkflows(client, experiment));
        ids = experiment!.map(experimentWorkflowId).filter((id) => running.has(id));
      }
      if (ids.length === 0) {
        this.say('Nothing is running.');
        return { cancelled: [], stillRunning: [] };
      }
      const started = Date.now();
      const result = await cancelAndWait(client, ids, timeout * 1000);
      this.say(
        `cancelled ${result.closed.length} workflow(s) in ${((Date.now() - started) / 1000).toFixed(1)} s${result.closed.length ? `: ${result.closed.join(', ')}` : ''}`,
      );
      if (result.stillRunning.length) this.warn(`still running after ${timeout} s: ${result.stillRunning.join(', ')}`);
      return { cancelled: result.closed, stillRunning: result.stillRunning };
    } finally {
      await client.connection.close();
    }
  }
}
