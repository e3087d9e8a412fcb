// Pure DAG scheduling, used by processExperiment and unit-tested without Temporal.

export interface DagNode {
  id: string;
  dependencies: string[];
}

export type NodeOutcome<R> =
  { status: 'succeeded'; result: R } | { status: 'failed'; error: unknown } | { status: 'skipped'; blockedBy: string };

/**
 * Runs every node once all its dependencies inside the graph succeeded, independent nodes
 * concurrently. A failed node skips everything downstream of it and nothing else.
 * Dependencies outside the node set are taken as satisfied.
 */
export async function runDag<R>(
  nodes: DagNode[],
  run: (node: DagNode) => Promise<R>,
): Promise<Map<string, NodeOutcome<R>>> {
  const ids = new Set(nodes.map((node) => node.id));
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const outcomes = new Map<string, NodeOutcome<R>>();
  const started = new Map<string, Promise<NodeOutcome<R>>>();

  const start = (id: string): Promise<NodeOutcome<R>> => {
    let promise = started.get(id);
    if (!promise) {
      const node = byId.get(id)!;
      promise = (async (): Promise<NodeOutcome<R>> => {
        const deps = node.dependencies.filter((dep) => ids.has(dep));
        const upstream = await Promise.all(deps.map((dep) => start(dep).then((outcome) => ({ dep, outcome }))));
        const blocker = upstream.find(({ outcome }) => outcome.status !== 'succeeded');
        if (blocker) {
          const root = blocker.outcome.status === 'skipped' ? blocker.outcome.blockedBy : blocker.dep;
          return { status: 'skipped', blockedBy: root };
        }
        try {
          return { status: 'succeeded', result: await run(node) };
        } catch (error) {
          return { status: 'failed', error };
        }
      })().then((outcome) => {
        outcomes.set(id, outcome);
        return outcome;
      });
      started.set(id, promise);
    }
    return promise;
  };

  await Promise.all(nodes.map((node) => start(node.id)));
  return new Map(nodes.map((node) => [node.id, outcomes.get(node.id)!]));
}
