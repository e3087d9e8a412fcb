import { createRegistry } from '../../modules/index.js';
import { MpctlCommand } from '../base-command.js';

interface ModuleInfo {
  name: string;
  dependencies: string[];
  tables: string[];
  version: string;
}

export default class Modules extends MpctlCommand<typeof Modules> {
  static override summary = 'Show the pipeline modules, their dependencies, tables and versions.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<{ modules: ModuleInfo[] }> {
    const registry = createRegistry();
    const modules = registry.ordered.map((m) => ({
      name: m.name,
      dependencies: m.dependencies,
      tables: m.tables,
      version: m.version,
    }));
    const printed = new Set<string>();
    const tree = (name: string, indent: string): void => {
      const m = registry.get(name);
      const seen = printed.has(name);
      this.say(`${indent}${name} (v${m.version}) → ${m.tables.join(', ')}${seen ? ' …' : ''}`);
      if (seen) return;
      printed.add(name);
      for (const child of registry.ordered.filter((c) => c.dependencies.includes(name)))
        tree(child.name, indent + '  ');
    };
    for (const root of registry.ordered.filter((m) => m.dependencies.length === 0)) tree(root.name, '');
    return { modules };
  }
}
