import crypto from 'node:crypto';
import type { Orm } from '../db/orm.js';
import type { PlannedJob } from '../workflow-safe/workflow-types.js';
import { ConfigError } from '../errors/index.js';
import type { ModuleRegistry } from '../modules/registry.js';
import type { PipelineModule } from '../modules/types.js';
import type { JobSource } from '../raw/job-source.js';
import { scanDataRoots, type RawScan } from '../raw/scan.js';
import { holdUnfinished, type WaitingJob } from '../raw/readiness.js';
import { settleFromEnv, type SettleRule } from '../raw/settle.js';
import { sliceOf } from '../workflow-safe/job-ids.js';
import { paramsHash, rawSignature } from './fingerprint.js';
import { loadPlanRows, type CandidateRow } from '../bookkeeping/job-records.js';
import { decide } from './rules.js';

export interface PlanRequest {
  /** Selected modules, already resolved from the selection syntax. */
  modules: string[];
  experimentIds?: string[];
  limit?: number;
  retry?: boolean;
  force?: boolean;
}

export interface UpdatePlan {
  jobs: PlannedJob[];
  /** Per module, how many candidates are not ready and why (up-to-date, failed, waiting:<module>). */
  notReady: Record<string, Record<string, number>>;
  /** Finished jobs whose folder is gone: their results are dropped. */
  orphans: { module: string; jobIds: string[] }[];
  warnings: string[];
  /** Slices and sites not planned because they are not submitted yet or still changing. */
  waiting: WaitingJob[];
}

export interface PlannerDeps {
  orm: Orm;
  registry: ModuleRegistry;
  dataRoots: string[];
  /** The environment's (or the default 60 s) when absent. */
  settle?: SettleRule;
  /** For tests of the settle rule. */
  now?: number;
}

/**
 * Decides which jobs an update runs and why. Modules are planned in dependency order and each
 * sees which upstream jobs are already planned, so one update brings a new experiment all the
 * way through the pipeline.
 */
export async function planUpdate(deps: PlannerDeps, request: PlanRequest): Promise<UpdatePlan> {
  const filtered = Boolean(request.experimentIds?.length) || request.limit !== undefined;
  if (request.force && !filtered)
    throw new ConfigError(
      '--force re-runs jobs that are up to date; give it --experiment or --limit so nothing is recomputed by accident',
    );
  const scan = holdUnfinished(
    restrictScan(scanDataRoots(deps.dataRoots), request.experimentIds),
    deps.settle ?? settleFromEnv(),
    deps.now,
  );
  const candidates = new Map<string, CandidateRow[]>();
  for (const module of deps.registry.ordered) {
    const sources = module.scope === 'slice' ? scan.slices : scan.sites;
    candidates.set(
      module.name,
      sources.map((source) => candidateOf(deps.registry, module, source)),
    );
  }
  // Waiting jobs keep their results: they are neither candidates nor orphans.
  const held = new Set(scan.waiting.map((w) => w.jobId));
  const plan = await planCandidates(deps, candidates, request, filtered, held);
  plan.warnings.push(...scan.warnings);
  plan.waiting = scan.waiting;
  return plan;
}

/**
 * The planning core, given each module's candidate jobs: one set-based query per module, then
 * the pure rules. Separate from the scan so it can be measured at scale on its own.
 */
export async function planCandidates(
  deps: Omit<PlannerDeps, 'dataRoots'>,
  candidates: Map<string, CandidateRow[]>,
  request: PlanRequest,
  filtered = false,
  held: Set<string> = new Set(),
): Promise<UpdatePlan> {
  const selected = new Set(request.modules);
  const planned = new Map<string, Map<string, string>>();
  const plan: UpdatePlan = { jobs: [], notReady: {}, orphans: [], warnings: [], waiting: [] };
  const modules = deps.registry.ordered.filter((m) => selected.has(m.name));
  // The queries do not depend on each other (only the rules do), so they run at once.
  const rowsByModule = await Promise.all(
    modules.map((module) => loadPlanRows(deps.orm.em.fork(), module.name, candidates.get(module.name) ?? [])),
  );

  for (const [index, module] of modules.entries()) {
    const rows = rowsByModule[index];
    const current = { codeVersion: module.version, paramsHash: paramsHash(module.params) };
    const mine = new Map<string, string>();
    const orphans: string[] = [];
    const notReady: Record<string, number> = {};
    for (const row of rows) {
      if (held.has(row.jobId)) continue;
      if (row.candidateRaw === null) {
        if (row.status !== null) orphans.push(row.jobId);
        continue;
      }
      const decision = decide(
        {
          jobId: row.jobId,
          status: row.status,
          recorded: { codeVersion: row.codeVersion, paramsHash: row.paramsHash, rawSignature: row.rawSignature },
          current: { ...current, rawSignature: row.candidateRaw },
          upstream: row.upstream,
        },
        {
          plannedUpstream: (dep, jobId) => planned.get(dep)?.get(jobId),
          retry: Boolean(request.retry),
          force: Boolean(request.force),
        },
      );
      if (decision.ready) {
        mine.set(row.jobId, decision.reason);
        plan.jobs.push({
          module: module.name,
          jobId: row.jobId,
          reason: decision.reason,
          ...(module.taskQueue ? { taskQueue: module.taskQueue } : {}),
        });
      } else {
        notReady[decision.why] = (notReady[decision.why] ?? 0) + 1;
      }
    }
    planned.set(module.name, mine);
    plan.notReady[module.name] = notReady;
    if (!filtered && orphans.length > 0) plan.orphans.push({ module: module.name, jobIds: orphans.sort() });
  }
  if (request.limit !== undefined) plan.jobs = applyLimit(plan.jobs, request.limit, deps.registry);
  plan.jobs.sort(byModuleThenJob(deps.registry.names));
  return plan;
}

function candidateOf(registry: ModuleRegistry, module: PipelineModule, source: JobSource): CandidateRow {
  let signature: string;
  try {
    signature = rawSignature(module.rawInputs(source));
  } catch (error) {
    // An unreadable input still makes a candidate: the job then fails with the file and the problem.
    signature = `unreadable:${(error as Error).message}`.slice(0, 64);
  }
  const upstream = Object.fromEntries(
    module.dependencies.map((dep) => [dep, registry.upstreamJobId(module.name, dep, source.jobId)]),
  );
  return { jobId: source.jobId, rawSignature: signature, upstream };
}

function restrictScan(scan: RawScan, experimentIds: string[] | undefined): RawScan {
  if (!experimentIds?.length) return scan;
  const wanted = new Set(experimentIds);
  const slices = new Set(experimentIds.map(sliceOf));
  const sites = scan.sites.filter((site) => wanted.has(site.jobId));
  const missing = experimentIds.filter((id) => !sites.some((site) => site.jobId === id));
  if (missing.length > 0) scan.warnings.push(`no such experiment under the data roots: ${missing.join(', ')}`);
  return { ...scan, sites, slices: scan.slices.filter((slice) => slices.has(slice.jobId)) };
}

/** `--limit N`: N experiments in a fixed pseudo-random order (a spread sample, the same every time). */
function applyLimit(jobs: PlannedJob[], limit: number, registry: ModuleRegistry): PlannedJob[] {
  const scopeOf = (job: PlannedJob) => registry.get(job.module).scope;
  const order = (id: string) => crypto.createHash('sha1').update(id).digest('hex');
  const experiments = [...new Set(jobs.filter((job) => scopeOf(job) === 'experiment').map((job) => job.jobId))];
  if (experiments.length === 0) {
    const slices = [...new Set(jobs.map((job) => job.jobId))]
      .sort((a, b) => order(a).localeCompare(order(b)))
      .slice(0, limit);
    return jobs.filter((job) => slices.includes(job.jobId));
  }
  const chosen = new Set(experiments.sort((a, b) => order(a).localeCompare(order(b))).slice(0, limit));
  const chosenSlices = new Set([...chosen].map(sliceOf));
  return jobs.filter((job) => (scopeOf(job) === 'experiment' ? chosen.has(job.jobId) : chosenSlices.has(job.jobId)));
}

function byModuleThenJob(order: string[]) {
  return (a: PlannedJob, b: PlannedJob) =>
    order.indexOf(a.module) - order.indexOf(b.module) || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0);
}
