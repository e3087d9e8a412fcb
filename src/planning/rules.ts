import type { JobStatus } from '../bookkeeping/entities.js';
import type { UpstreamFacts } from '../bookkeeping/job-records.js';

/** What the planner knows about one candidate job, all read in one query. */
export interface JobFacts {
  jobId: string;
  status: JobStatus | null;
  recorded: { codeVersion: string | null; paramsHash: string | null; rawSignature: string | null };
  current: { codeVersion: string; paramsHash: string; rawSignature: string };
  /** Per dependency: the upstream job, its status, and whether it finished again since this job last ran. */
  upstream: Record<string, UpstreamFacts>;
}

export interface RuleContext {
  /** The reason this update (re)runs that upstream job before this one, if it does. */
  plannedUpstream(dep: string, jobId: string): string | undefined;
  retry: boolean;
  force: boolean;
}

export type Decision = { ready: true; reason: string } | { ready: false; why: NotReadyReason };
export type NotReadyReason = 'up-to-date' | 'failed' | `waiting:${string}`;

/**
 * Decides whether a job is ready and why. A job runs only when every upstream job has succeeded
 * or runs earlier in the same update; its reason names the first thing that changed.
 */
export function decide(facts: JobFacts, ctx: RuleContext): Decision {
  for (const [dep, up] of Object.entries(facts.upstream)) {
    if (!ctx.plannedUpstream(dep, up.jobId) && up.status !== 'succeeded')
      return { ready: false, why: `waiting:${dep}` };
  }
  if (ctx.force) return { ready: true, reason: 'forced' };
  // No result at all: never ran, or was interrupted, skipped or cancelled.
  if (
    facts.status === null ||
    facts.status === 'running' ||
    facts.status === 'skipped' ||
    facts.status === 'cancelled'
  ) {
    return { ready: true, reason: 'new' };
  }
  const changed = changeReason(facts, ctx);
  if (facts.status === 'failed') {
    if (changed) return { ready: true, reason: changed };
    return ctx.retry ? { ready: true, reason: 'retry-failed' } : { ready: false, why: 'failed' };
  }
  return changed ? { ready: true, reason: changed } : { ready: false, why: 'up-to-date' };
}

/** The first input that differs from what the last run consumed, as a reason. */
export function changeReason(facts: JobFacts, ctx: RuleContext): string | undefined {
  const { recorded, current } = facts;
  if (recorded.codeVersion === null) return undefined; // nothing recorded to compare with
  if (recorded.codeVersion !== current.codeVersion) return 'code-changed';
  if (recorded.paramsHash !== current.paramsHash) return 'params-changed';
  if ((recorded.rawSignature ?? '') !== current.rawSignature) return 'raw-changed';
  for (const [dep, up] of Object.entries(facts.upstream)) {
    const upstreamReason = ctx.plannedUpstream(dep, up.jobId);
    // New code upstream is new code for everything downstream of it.
    if (upstreamReason === 'code-changed') return 'code-changed';
    if (upstreamReason) return `upstream-changed:${dep}`;
    if (up.changed) return `upstream-changed:${dep}`;
  }
  return undefined;
}
