import { Args, Flags } from '@oclif/core';
import { ConfigError } from '../../errors/index.js';
import { loadModules } from '../../external/load-registry.js';
import { syncExternalTables } from '../../external/sync-tables.js';
import { planUpdate, type UpdatePlan } from '../../planning/planner.js';
import { requireDatabaseUrl, withOrm } from '../../schema/with-orm.js';
import { followUpdate, newUpdateId, startUpdate, updateHandle } from '../../temporal/update.js';
import { updateWorkflowId } from '../../workflow-safe/job-ids.js';
import type { UpdateProgress } from '../../workflow-safe/workflow-types.js';
import { connectClient, workflowUiUrl } from '../../temporal/connection.js';
import { ExitCode, MpctlCommand } from '../base-command.js';
import { ProgressView } from '../progress-view.js';
import { table } from '../table.js';

type UpdateOutput =
  | { jobs: UpdatePlan['jobs']; notReady: UpdatePlan['notReady']; waiting: UpdatePlan['waiting']; warnings: string[] }
  | { updateId: string; workflowId: string; uiUrl?: string }
  | UpdateProgress;

export default class Update extends MpctlCommand<typeof Update> {
  static override summary = 'Bring modules up to date: plan which jobs are ready and why, then run them on Temporal.';
  static override description = `MODULES uses the multipatch selection syntax: \`all\` (default), \`dataset\`, \`:experiment\` (experiment and everything it depends on),
\`dataset:\` (dataset and everything that depends on it). A job is ready when all its upstream jobs succeeded and it is new, its code version,
parameters, raw files or upstream results changed, or (with --retry) it failed. Every ready job has a reason, shown by --dry-run.`;
  static override examples = [
    {
      description: 'Run everything that is ready and show progress',
      command: '<%= config.bin %> <%= command.id %> --wait',
    },
    {
      description: 'List what would run and why, without running anything',
      command: '<%= config.bin %> <%= command.id %> --dry-run',
    },
    {
      description: 'Re-run dataset and everything downstream of it',
      command: '<%= config.bin %> <%= command.id %> --downstream-of dataset --wait',
    },
    {
      description: 'Up to and including experiment, for one site',
      command: '<%= config.bin %> <%= command.id %> :experiment --experiment 2026-10-03_slice1/site_1',
    },
    {
      description: 'Follow an update started earlier',
      command: '<%= config.bin %> <%= command.id %> --attach 20261122-031500-ab12',
    },
  ];
  static override strict = false;
  static override args = { modules: Args.string({ description: 'Modules to update (selection syntax); default all' }) };
  static override flags = {
    experiment: Flags.string({
      char: 'e',
      description: 'Only these experiments (slice/site); repeat for several',
      multiple: true,
    }),
    'downstream-of': Flags.string({ description: 'This module and every module that depends on it', multiple: true }),
    'upstream-of': Flags.string({ description: 'This module and every module it depends on', multiple: true }),
    'dry-run': Flags.boolean({
      char: 'n',
      description: 'List the jobs that would run, with their reasons; run nothing',
    }),
    wait: Flags.boolean({
      char: 'w',
      description: 'Show progress until the update finishes; exit 1 if any job failed',
    }),
    attach: Flags.string({ description: 'Follow a running update by id instead of starting one' }),
    limit: Flags.integer({ description: 'At most N experiments (a fixed pseudo-random sample)', min: 1 }),
    parallel: Flags.integer({ char: 'p', description: 'Experiments processed at once', default: 4, min: 1 }),
    retry: Flags.boolean({ description: 'Also re-run failed jobs' }),
    force: Flags.boolean({ description: 'Re-run even if up to date (needs --experiment or --limit)' }),
  };

  async run(): Promise<UpdateOutput> {
    const config = this.settings();
    const { registry, manifests } = loadModules(config);
    if (this.flags.attach) return this.follow(this.flags.attach);
    const tokens = [
      ...this.positional,
      ...(this.flags['downstream-of'] ?? []).map((m) => `${m}:`),
      ...(this.flags['upstream-of'] ?? []).map((m) => `:${m}`),
    ];
    const modules = registry.select(tokens);
    if (this.flags.force && !this.flags.experiment?.length && !this.flags.limit) {
      throw new ConfigError(
        '--force re-runs jobs that are up to date; give it --experiment or --limit so nothing is recomputed by accident',
      );
    }
    const request = {
      modules,
      experimentIds: this.flags.experiment,
      limit: this.flags.limit,
      retry: this.flags.retry,
      force: this.flags.force,
    };

    if (this.flags['dry-run']) {
      // Refuses a changed table declaration without a version bump here too, and changes nothing.
      await syncExternalTables(requireDatabaseUrl(config), manifests, { dryRun: true });
      const plan = await withOrm(config, (orm) =>
        planUpdate({ orm, registry, dataRoots: config.dataRoots, settle: config.settle }, request),
      );
      plan.warnings.forEach((w) => this.warn(w));
      this.say(
        plan.jobs.length
          ? table(
              ['module', 'job', 'reason'],
              plan.jobs.map((j) => [j.module, j.jobId, j.reason]),
            )
          : 'Nothing to do: every selected job is up to date.',
      );
      if (plan.waiting.length)
        this.say(
          `\nWaiting (not planned yet):\n${table(
            ['job', 'reason', 'detail'],
            plan.waiting.map((w) => [w.jobId, w.reason, w.detail]),
          )}`,
        );
      this.say(`\n${plan.jobs.length} job(s) would run.${this.notReadyNote(plan)}`);
      return { jobs: plan.jobs, notReady: plan.notReady, waiting: plan.waiting, warnings: plan.warnings };
    }

    const updateId = newUpdateId();
    const client = await connectClient(config);
    try {
      await startUpdate(client, config, {
        updateId,
        ...request,
        parallel: this.flags.parallel,
        dataRoots: config.dataRootsExplicit && config.sources.dataRoots !== 'stack' ? config.dataRoots : undefined,
      });
    } finally {
      await client.connection.close();
    }
    const workflowId = updateWorkflowId(updateId);
    const uiUrl = workflowUiUrl(config, workflowId);
    this.say(`update ${updateId} started${uiUrl ? ` · ${uiUrl}` : ''}`);
    if (!this.flags.wait) {
      this.say(`follow it with: mpctl update --attach ${updateId}`);
      return { updateId, workflowId, uiUrl };
    }
    return this.follow(updateId);
  }

  private async follow(updateId: string): Promise<UpdateProgress> {
    const config = this.settings();
    const client = await connectClient(config);
    const view = new ProgressView(this.jsonEnabled() ? undefined : process.stderr);
    const detach = new AbortController();
    const onSigint = () => detach.abort();
    process.once('SIGINT', onSigint);
    try {
      const final = await followUpdate(updateHandle(client, updateId), (p) => view.update(p), 500, detach.signal);
      if (!final) {
        this.say(`\nDetached; the update keeps running. Re-attach with: mpctl update --attach ${updateId}`);
        this.exit(ExitCode.ok);
      }
      view.finish(final!);
      this.printSummary(final!);
      if (final!.experiments.failed + final!.sliceJobs.failed > 0) {
        if (this.jsonEnabled()) this.logJson(final);
        this.exit(ExitCode.failed);
      }
      return final!;
    } finally {
      process.off('SIGINT', onSigint);
      await client.connection.close();
    }
  }

  private printSummary(p: UpdateProgress): void {
    const rows = Object.entries(p.modules).map(
      ([name, m]) => [name, m.planned, m.succeeded, m.failed, m.skipped] as (string | number)[],
    );
    this.say(
      rows.length
        ? table(['module', 'planned', 'succeeded', 'failed', 'skipped'], rows)
        : 'Nothing to do: every selected job is up to date.',
    );
    for (const f of p.failures)
      this.say(`✗ ${f.message.startsWith(`${f.experimentId}:`) ? f.message : `${f.experimentId}: ${f.message}`}`);
    if (p.failures.length) this.say('Details: mpctl failures');
  }

  private notReadyNote(plan: UpdatePlan): string {
    const notes = Object.entries(plan.notReady).flatMap(([module, whys]) =>
      Object.entries(whys)
        .filter(([why]) => why !== 'up-to-date')
        .map(([why, n]) => `${module}: ${n} ${why}`),
    );
    return notes.length
      ? `\nNot ready: ${notes.join('; ')}${notes.some((n) => n.includes('failed')) ? ' (use --retry to re-run failed jobs)' : ''}`
      : '';
  }
}
