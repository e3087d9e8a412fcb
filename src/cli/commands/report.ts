import { spawn } from 'node:child_process';
import { Flags } from '@oclif/core';
import { createRegistry } from '../../modules/index.js';
import { buildReport, type ReportResult } from '../../report/build-report.js';
import { withOrm } from '../../schema/with-orm.js';
import { MpctlCommand } from '../base-command.js';

export default class Report extends MpctlCommand<typeof Report> {
  static override summary =
    'Write a static HTML report (pipeline status grid, connectivity, each experiment and connection) that opens from file://.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --out report',
    '<%= config.bin %> <%= command.id %> --out report --experiment 2026-10-03_slice1/site_2 --open',
    '<%= config.bin %> <%= command.id %> --out report --json',
  ];
  static override flags = {
    out: Flags.string({ required: true, description: 'Folder to write (replaced if it holds a report)' }),
    experiment: Flags.string({ char: 'e', multiple: true, description: 'Only these experiments (repeat)' }),
    open: Flags.boolean({ description: 'Open the report in the default browser when written' }),
  };

  async run(): Promise<ReportResult> {
    const config = this.settings();
    const registry = createRegistry();
    const tty = process.stderr.isTTY && !this.jsonEnabled();
    let last = 0;
    const result = await withOrm(
      config,
      (orm) =>
        buildReport(orm, registry, config, {
          out: this.flags.out,
          experiments: this.flags.experiment,
          progress: (done, total, page) => {
            if (this.jsonEnabled()) return;
            // A line every 10 % (or a live line on a terminal), not one per page.
            if (tty) process.stderr.write(`\rreport: ${done}/${total} pages ${page.padEnd(40).slice(0, 40)}`);
            else if (done === total || done - last >= Math.max(1, Math.ceil(total / 10))) {
              last = done;
              process.stderr.write(`report: ${done}/${total} pages\n`);
            }
          },
        }),
      registry,
    );
    if (tty) process.stderr.write('\n');
    this.say(
      `wrote ${result.pages} pages (${result.experiments} experiments, ${result.connections} connections), ` +
        `${(result.bytes / 1e6).toFixed(1)} MB in ${(result.durationMs / 1000).toFixed(1)} s`,
    );
    this.say(result.url);
    if (this.flags.open)
      spawn('xdg-open', [result.url], { detached: true, stdio: 'ignore' })
        .on('error', () => {})
        .unref();
    return result;
  }
}
