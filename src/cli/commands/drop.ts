import { Args, Flags } from '@oclif/core';
import { dropModule } from '../../jobs/drop-module.js';
import type { DropReport } from '../../jobs/drop-jobs.js';
import { loadModules } from '../../external/load-registry.js';
import { withOrm } from '../../schema/with-orm.js';
import { newUpdateId } from '../../temporal/update.js';
import { dropWorkflowId } from '../../workflow-safe/job-ids.js';
import { WorkflowNames, type DropResultsWorkflow } from '../../workflow-safe/workflow-types.js';
import { connectClient, workflowUiUrl } from '../../temporal/connection.js';
import { ExitCode, MpctlCommand } from '../base-command.js';
import { confirm } from '../confirm.js';
import { table } from '../table.js';

export default class Drop extends MpctlCommand<typeof Drop> {
  static override summary =
    "Delete a module's results and job records, and first those of every module downstream of it.";
  static override description = `Upstream modules are never touched. An external module whose folder was removed can still be dropped: its rows, job records, kept files and, when no --experiment is given, its tables. Running workflows of the affected experiments are cancelled first.
The drop runs as a workflow (drop/<id>) so it appears in the Temporal Web UI. Without --yes it asks on a terminal and refuses otherwise.`;
  static override examples = [
    { description: 'See what would be deleted', command: '<%= config.bin %> <%= command.id %> dataset --dry-run' },
    {
      description: 'Drop dataset and everything downstream, for every experiment',
      command: '<%= config.bin %> <%= command.id %> dataset --yes',
    },
    {
      description: 'Delete the data of an external module whose folder was removed (status lists it)',
      command: '<%= config.bin %> <%= command.id %> spike_count --yes',
    },
    {
      description: 'Drop one experiment from experiment onwards',
      command: '<%= config.bin %> <%= command.id %> experiment --experiment 2026-10-03_slice1/site_2 --yes',
    },
  ];
  static override args = { module: Args.string({ description: 'The module to drop', required: true }) };
  static override flags = {
    experiment: Flags.string({ char: 'e', description: 'Only these experiments; repeat for several', multiple: true }),
    'dry-run': Flags.boolean({ char: 'n', description: 'Count what would be deleted; delete nothing' }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation' }),
  };

  async run(): Promise<DropReport & { dryRun: boolean; cancelledWorkflows?: string[] }> {
    const config = this.settings();
    const registry = loadModules(this.settings()).registry;
    // A module whose folder has gone is still known to the database (status lists it as removed).
    const request = { module: this.args.module, experimentIds: this.flags.experiment };
    const preview = await withOrm(config, (orm) => dropModule(orm, registry, { ...request, dryRun: true }));
    this.printReport(preview, 'would delete');
    if (this.flags['dry-run']) return { ...preview, dryRun: true };
    const jobs = Object.values(preview.modules).reduce((n, m) => n + m.jobs, 0);
    if (jobs === 0) {
      this.say('Nothing to drop.');
      return { ...preview, dryRun: false };
    }
    if (!(await confirm(`Delete the results of ${jobs} job(s) listed above?`, this.flags.yes))) {
      this.say('Nothing was deleted.');
      this.exit(ExitCode.failed);
    }
    const client = await connectClient(config);
    try {
      const dropId = newUpdateId();
      const handle = await client.workflow.start<DropResultsWorkflow>(WorkflowNames.dropResults, {
        taskQueue: config.taskQueue,
        workflowId: dropWorkflowId(dropId),
        args: [{ dropId, ...request }],
        staticSummary: `mpctl drop ${request.module}${request.experimentIds?.length ? ` --experiment ${request.experimentIds.join(' ')}` : ''}`,
      });
      this.say(`drop ${dropId} running${config.uiUrl ? ` · ${workflowUiUrl(config, handle.workflowId)}` : ''}`);
      const result = await handle.result();
      if (result.cancelledWorkflows.length) this.say(`cancelled first: ${result.cancelledWorkflows.join(', ')}`);
      this.printReport(result, 'deleted');
      return { ...result, dryRun: false };
    } finally {
      await client.connection.close();
    }
  }

  private printReport(report: DropReport, verb: string): void {
    const rows = Object.entries(report.modules).flatMap(([module, m]) =>
      Object.entries(m.rows).map(([tableName, n]) => [module, m.jobs, tableName, n] as (string | number)[]),
    );
    this.say(rows.length ? `${verb}:\n${table(['module', 'jobs', 'table', 'rows'], rows)}` : `${verb}: nothing`);
  }
}
