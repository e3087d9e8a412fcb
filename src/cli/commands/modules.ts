import { isExternal } from '../../external/external-module.js';
import { loadModules } from '../../external/load-registry.js';
import { MpctlCommand } from '../base-command.js';

interface ModuleInfo {
  name: string;
  dependencies: string[];
  tables: string[];
  version: string;
  /** `built-in`, or the module folder of an external module. */
  origin: string;
  taskQueue: string;
}

export default class Modules extends MpctlCommand<typeof Modules> {
  static override summary =
    'Show the pipeline modules (built-in and external), their dependencies, tables, versions and task queues.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<{ modules: ModuleInfo[] }> {
    const config = this.settings();
    const registry = loadModules(config).registry;
    const modules = registry.ordered.map((m) => ({
      name: m.name,
      dependencies: m.dependencies,
      tables: m.tables,
      version: m.version,
      origin: isExternal(m) ? m.manifest.dir : 'built-in',
      taskQueue: (isExternal(m) ? m.manifest.taskQueue : undefined) ?? config.taskQueue,
    }));
    const printed = new Set<string>();
    const tree = (name: string, indent: string): void => {
      const m = registry.get(name);
      const seen = printed.has(name);
      const where = isExternal(m)
        ? `, ${m.manifest.dir}${m.manifest.taskQueue ? `, queue ${m.manifest.taskQueue}` : ''}`
        : '';
      this.say(`${indent}${name} (v${m.version}${where}) → ${m.tables.join(', ')}${seen ? ' …' : ''}`);
      if (seen) return;
      printed.add(name);
      for (const child of registry.ordered.filter((c) => c.dependencies.includes(name)))
        tree(child.name, indent + '  ');
    };
    for (const root of registry.ordered.filter((m) => m.dependencies.length === 0)) tree(root.name, '');
    return { modules };
  }
}
