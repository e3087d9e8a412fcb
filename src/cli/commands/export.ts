import { Flags } from '@oclif/core';
import { EXPORT_FORMATS, exportRelease, type ExportResult } from '../../export/release.js';
import { createRegistry } from '../../modules/index.js';
import { withOrm } from '../../schema/with-orm.js';
import { MpctlCommand } from '../base-command.js';

export default class Export extends MpctlCommand<typeof Export> {
  static override summary =
    'Write a release of the results for pandas: every results table with its keys, a denormalised pairs table, SCHEMA.md and manifest.json.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --format parquet --out rel',
    '<%= config.bin %> <%= command.id %> --format sqlite --out rel --experiment 2026-10-03_slice1/site_2',
    '<%= config.bin %> <%= command.id %> --format csv --out rel --tables pairs --tables average_response --json',
  ];
  static override flags = {
    format: Flags.string({ options: [...EXPORT_FORMATS], required: true, description: 'File format of the release' }),
    out: Flags.string({ required: true, description: 'Folder to write (must not exist, or be empty)' }),
    tables: Flags.string({ multiple: true, description: 'Only these tables (repeat); default all and pairs' }),
    experiment: Flags.string({ char: 'e', multiple: true, description: 'Only these experiments (repeat)' }),
  };

  async run(): Promise<ExportResult> {
    const config = this.settings();
    const registry = createRegistry();
    const result = await withOrm(
      config,
      (orm) =>
        exportRelease(orm, registry, {
          format: this.flags.format as ExportResult['format'],
          out: this.flags.out,
          tables: this.flags.tables,
          experiments: this.flags.experiment,
          mpctlVersion: this.config.version,
          progress: (line) => this.jsonEnabled() || process.stderr.write(`${line}\n`),
        }),
      registry,
    );
    this.say(
      `wrote ${result.tables.length} tables (${result.tables.find((t) => t.name === 'pairs')?.rows ?? 0} pairs), ` +
        `${(result.bytes / 1e6).toFixed(1)} MB in ${(result.durationMs / 1000).toFixed(1)} s to ${result.out}`,
    );
    this.say(`see ${result.out}/SCHEMA.md`);
    return result;
  }
}
