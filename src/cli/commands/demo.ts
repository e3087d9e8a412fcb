import fs from 'node:fs';
import path from 'node:path';
import { readStackState } from '../../config/stack-state.js';
import { connectionSummary, type ConnectionSummary } from '../../views/connections.js';
import { withOrm } from '../../schema/with-orm.js';
import { createRegistry } from '../../modules/index.js';
import { buildReport } from '../../report/build-report.js';
import { MpctlCommand } from '../base-command.js';
import { table } from '../table.js';

export default class Demo extends MpctlCommand<typeof Demo> {
  static override summary =
    'The whole product in one command: sample data, the embedded stack, a full update and a summary.';
  static override description = 'Leaves the stack running so you can explore the Web UI; stop it with `mpctl down`.';
  static override examples = ['<%= config.bin %> <%= command.id %>', 'npm start'];

  async run(): Promise<{ uiUrl: string; dataRoot: string; connections: ConnectionSummary; report: string }> {
    const config = this.settings();
    const dataRoot = config.dataRoots[0];
    if (!fs.existsSync(dataRoot) || fs.readdirSync(dataRoot).length === 0) {
      await this.config.runCommand('sample-data', [
        '--out',
        dataRoot,
        '--slices',
        '2',
        '--sites-per-slice',
        '2',
        '--cells',
        '6',
      ]);
    } else {
      this.say(`using the experiments already in ${dataRoot}`);
    }
    if (!readStackState(config.home)) await this.config.runCommand('up', ['--detach', '--data-root', dataRoot]);
    try {
      await this.config.runCommand('update', ['--wait']);
    } catch (error) {
      // Failed jobs are part of what the demo shows; the summary below lists them.
      if (!(error as { oclif?: { exit?: number } }).oclif) throw error;
    }
    this.say('');
    await this.config.runCommand('status', []);
    const state = readStackState(config.home)!;
    const withStack = {
      ...config,
      databaseUrl: config.databaseUrl ?? state.databaseUrl,
      uiUrl: config.uiUrl ?? state.uiUrl,
    };
    const connections = await withOrm(withStack, (orm) => connectionSummary(orm));
    const registry = createRegistry();
    // The demo ends with something to look at: the report, opened from the address it prints.
    const report = await withOrm(
      withStack,
      (orm) => buildReport(orm, registry, withStack, { out: 'report' }),
      registry,
    );
    this.say(`\n${renderConnections(connections)}`);
    this.say(`\nTemporal Web UI: ${state.uiUrl}/namespaces/${state.namespace}/workflows
Data: ${path.relative(process.cwd(), dataRoot) || dataRoot} · stop the stack with: npx mpctl down`);
    this.say(`\nReport (${report.pages} pages): ${report.url}`);
    return { uiUrl: state.uiUrl, dataRoot, connections, report: report.url };
  }
}

function renderConnections(s: ConnectionSummary): string {
  const head = `Connections: ${s.connections.length} found among ${s.pairsTested} pairs tested (detection score ≥ ${s.threshold})`;
  if (s.connections.length === 0) return head;
  const f = (x: number | null, d: number) => (x === null ? '–' : x.toFixed(d));
  return `${head}\n${table(
    ['experiment', 'pre', 'post', 'type', 'score', 'amplitude (mV)', 'latency (ms)'],
    s.connections.map((c) => [
      c.experiment,
      c.pre,
      c.post,
      c.synapseType,
      Number(c.detectionScore.toFixed(1)),
      f(c.amplitudeMv, 2),
      f(c.latencyMs, 2),
    ]),
  )}`;
}
