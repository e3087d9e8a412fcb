import fs from 'node:fs';
import type { Em } from '../../src/db/orm.js';
import { bulkInsert, deleteWhereIn, execute, sql } from '../../src/db/sql.js';
import { BadInputError } from '../../src/errors/index.js';
import type { PipelineModule } from '../../src/modules/types.js';
import { jobFile } from '../../src/raw/read-file.js';

/** Tables of the test-only modules, created in a test database next to the real schema. */
export async function createTestModuleTables(em: Em): Promise<void> {
  for (const table of ['test_check', 'test_downstream', 'test_independent', 'test_slow']) {
    await execute(em, sql`CREATE TABLE IF NOT EXISTS ${sql.id(table)} (experiment_id text NOT NULL, value text)`);
  }
}

function tableModule(name: string, table: string, dependencies: string[], rawFile?: string): PipelineModule {
  return {
    name,
    dependencies,
    version: '1',
    tables: [table],
    scope: 'experiment',
    rawInputs: (job) => (rawFile ? [jobFile(job, rawFile)] : []),
    async process({ em, job }) {
      let value = 'ok';
      if (rawFile) {
        const file = jobFile(job, rawFile);
        value = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : 'ok';
        if (value.startsWith('bad')) throw new BadInputError(file, `the check file says "${value}"`);
      }
      await bulkInsert(em, table, { experiment_id: 'text', value: 'text' }, [{ experiment_id: job.jobId, value }]);
      return { rows: { [table]: 1 } };
    },
    async drop(em, jobIds) {
      return { [table]: await deleteWhereIn(em, table, 'experiment_id', jobIds) };
    },
  };
}

/** check (reads check.txt) → downstream, and independent beside them, all after experiment. */
export const checkModule = tableModule('check', 'test_check', ['experiment'], 'check.txt');
export const downstreamModule = tableModule('downstream', 'test_downstream', ['check']);
export const independentModule = tableModule('independent', 'test_independent', ['experiment']);

/** Writes its row, then works for up to a minute, stopping at once when cancelled. */
export const slowModule: PipelineModule = {
  ...tableModule('slow', 'test_slow', ['experiment']),
  async process({ em, job, signal, heartbeat }) {
    await bulkInsert(em, 'test_slow', { experiment_id: 'text', value: 'text' }, [
      { experiment_id: job.jobId, value: 'partial' },
    ]);
    for (let i = 0; i < 600; i++) {
      if (signal.aborted) throw new Error('cancelled');
      heartbeat({ step: i });
      await new Promise((r) => setTimeout(r, 100));
    }
    return { rows: { test_slow: 1 } };
  },
};
