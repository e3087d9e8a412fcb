import { ConfigError } from '../errors/index.js';
import { downstreamOf, upstreamOf, type GraphNode } from './graph.js';

/**
 * Resolves the multipatch selection syntax to module names in dependency order:
 * `all`, `name`, `:name` (name and everything it depends on), `name:` (name and everything
 * that depends on it — by the graph, not by sort position).
 */
export function selectModules(ordered: GraphNode[], tokens: string[]): string[] {
  const known = new Set(ordered.map((node) => node.name));
  const check = (name: string, token: string) => {
    if (!known.has(name))
      throw new ConfigError(`unknown module "${name}" in "${token}"; known modules: ${[...known].join(', ')}`);
  };
  const chosen = new Set<string>();
  const effective = tokens.length === 0 ? ['all'] : tokens;
  for (const raw of effective) {
    for (const token of raw
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)) {
      if (token === 'all') {
        known.forEach((name) => chosen.add(name));
      } else if (token.startsWith(':')) {
        const name = token.slice(1);
        check(name, token);
        [...upstreamOf(ordered, name), name].forEach((n) => chosen.add(n));
      } else if (token.endsWith(':')) {
        const name = token.slice(0, -1);
        check(name, token);
        [name, ...downstreamOf(ordered, name)].forEach((n) => chosen.add(n));
      } else {
        check(token, token);
        chosen.add(token);
      }
    }
  }
  return ordered.filter((node) => chosen.has(node.name)).map((node) => node.name);
}
