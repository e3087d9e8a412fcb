import { ConfigError } from '../errors/index.js';

export interface GraphNode {
  name: string;
  dependencies: string[];
}

/**
 * Checks the module graph and returns it in dependency order (declaration order among peers).
 * Throws a ConfigError naming the problem: duplicate module, unknown dependency or cycle.
 */
export function orderGraph<T extends GraphNode>(nodes: T[]): T[] {
  const byName = new Map<string, T>();
  for (const node of nodes) {
    if (byName.has(node.name)) throw new ConfigError(`module "${node.name}" is declared twice`);
    byName.set(node.name, node);
  }
  for (const node of nodes) {
    for (const dep of node.dependencies) {
      if (!byName.has(dep)) throw new ConfigError(`module "${node.name}" depends on unknown module "${dep}"`);
    }
  }
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: T, path: string[]) => {
    if (state.get(node.name) === 'done') return;
    if (state.get(node.name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(node.name)), node.name];
      throw new ConfigError(`module dependencies form a cycle: ${cycle.join(' -> ')}`);
    }
    state.set(node.name, 'visiting');
    for (const dep of node.dependencies) visit(byName.get(dep)!, [...path, node.name]);
    state.set(node.name, 'done');
    ordered.push(node);
  };
  for (const node of nodes) visit(node, []);
  return ordered;
}

/** Every module that depends on `name`, directly or not (not `name` itself), in dependency order. */
export function downstreamOf<T extends GraphNode>(ordered: T[], name: string): string[] {
  const reached = new Set<string>([name]);
  const result: string[] = [];
  for (const node of ordered) {
    if (node.name !== name && node.dependencies.some((dep) => reached.has(dep))) {
      reached.add(node.name);
      result.push(node.name);
    }
  }
  return result;
}

/** Every module `name` depends on, directly or not (not `name` itself), in dependency order. */
export function upstreamOf<T extends GraphNode>(ordered: T[], name: string): string[] {
  const byName = new Map(ordered.map((node) => [node.name, node]));
  const needed = new Set<string>();
  const walk = (current: string) => {
    for (const dep of byName.get(current)?.dependencies ?? []) {
      if (!needed.has(dep)) {
        needed.add(dep);
        walk(dep);
      }
    }
  };
  walk(name);
  return ordered.filter((node) => needed.has(node.name)).map((node) => node.name);
}
