// The bare-Temporal baseline for the orchestration benchmark: the same workflows, children and
// activities as an mpctl update, in the same dependency shape, but every activity does nothing
// and nothing is planned or recorded.
import { executeChild, proxyActivities } from '@temporalio/workflow';

interface NoopActivities {
  noop(input: { step: string; id: string }): Promise<void>;
}

const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '1 minute' });

export interface BaselineInput {
  slices: string[];
  experiments: string[];
  parallel: number;
  /** Each per-experiment step with its dependencies among them, in dependency order (from the registry). */
  steps: [string, string[]][];
}

export async function baselineUpdate(input: BaselineInput): Promise<number> {
  await inParallel(input.slices, input.parallel, (id) => noop({ step: 'slices', id }));
  await inParallel(input.experiments, input.parallel, (id) =>
    executeChild(baselineExperiment, { workflowId: `baseline/${id}`, args: [id, input.steps] }),
  );
  return input.experiments.length;
}

export async function baselineExperiment(id: string, steps: [string, string[]][]): Promise<void> {
  const done = new Map<string, Promise<void>>();
  for (const [step, deps] of steps) {
    done.set(
      step,
      Promise.all(deps.map((d) => done.get(d))).then(() => noop({ step, id })),
    );
  }
  await Promise.all(done.values());
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const running = new Set<Promise<unknown>>();
  for (const item of items) {
    const p: Promise<unknown> = work(item).finally(() => running.delete(p));
    running.add(p);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
}
