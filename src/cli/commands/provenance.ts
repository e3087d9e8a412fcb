import { Args } from '@oclif/core';
import { jobProvenance } from '../../bookkeeping/job-records.js';
import { withOrm } from '../../schema/with-orm.js';
import { MpctlCommand } from '../base-command.js';

export default class Provenance extends MpctlCommand<typeof Provenance> {
  static override summary =
    "Print what produced a job's current result: mpctl's build, module version and folder hash, params, raw inputs, upstream jobs, outputs and runtime.";
  static override examples = [
    '<%= config.bin %> <%= command.id %> dataset 2026-10-03_slice1/site_1',
    '<%= config.bin %> <%= command.id %> spike_count 2026-10-03_slice1/site_1 --json',
  ];
  static override args = {
    module: Args.string({ description: 'the module', required: true }),
    job: Args.string({ description: 'the job id', required: true }),
  };

  async run(): Promise<{ module: string; jobId: string; status: string; provenance: Record<string, unknown> }> {
    const { module, job } = this.args;
    const found = await withOrm(this.settings(), (orm) => jobProvenance(orm.em.fork(), module, job));
    if (!found) throw new Error(`no job ${module} ${job}; see mpctl status`);
    if (!found.provenance) {
      throw new Error(
        `${module} ${job} is ${found.status} and has no provenance: only a succeeded job's result has one`,
      );
    }
    this.say(`${module} ${job} (${found.status})`);
    this.say(describe(found.provenance, ''));
    return { module, jobId: job, status: found.status, provenance: found.provenance };
  }
}

/** The record as indented `key: value` lines, for reading; --json gives it whole. */
function describe(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return `${indent}${JSON.stringify(value)}`;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries
    .map(([key, v]) =>
      v !== null && typeof v === 'object' && Object.keys(v).length
        ? `${indent}${key}:\n${describe(v, `${indent}  `)}`
        : `${indent}${key}: ${typeof v === 'string' ? v : JSON.stringify(v)}`,
    )
    .join('\n');
}
