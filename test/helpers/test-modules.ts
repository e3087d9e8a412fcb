import fs from 'node:fs';
import { defineEntity, p } from '@mikro-orm/core';
import { insertRows } from '../../src/db/entity-rows.js';
import type { Em } from '../../src/db/orm.js';
import { execute, sql } from '../../src/db/sql.js';
import { BadInputError } from '../../src/errors/index.js';
import { defineModule } from '../../src/modules/define-module.js';
import { Experiment } from '../../src/modules/experiment/entities.js';
import type { PipelineModule } from '../../src/modules/types.js';
import { jobFile } from '../../src/raw/read-file.js';

const TABLES = ['test_check', 'test_downstream', 'test_independent', 'test_slow'] as const;

/** Tables of the test-only modules, created in a test database next to the real schema (as their entities declare). */
export async function createTestModuleTables(em: Em): Promise<void> {
  for (const table of TABLES) {
    await execute(
      em,
      sql`CREATE TABLE IF NOT EXISTS ${sql.id(table)} (id serial PRIMARY KEY, experiment_id varchar(512) NOT NULL REFERENCES experiment (id), value text)`,
    );
  }
}

function valueEntity(table: (typeof TABLES)[number]) {
  return defineEntity({
    name: table.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()).replace(/^t/, 'T'),
    tableName: table,
    properties: {
      id: p.integer().primary().autoincrement(),
      experiment: () => p.manyToOne(Experiment),
      value: p.text().nullable(),
    },
  });
}

function tableModule(
  name: string,
  table: (typeof TABLES)[number],
  dependencies: string[],
  rawFile?: string,
): PipelineModule {
  const entity = valueEntity(table);
  return defineModule({
    name,
    dependencies,
    version: '1',
    scope: 'experiment',
    entities: [entity],
    rawInputs: (job) => (rawFile ? [jobFile(job, rawFile)] : []),
    async process({ em, job }) {
      let value = 'ok';
      if (rawFile) {
        const file = jobFile(job, rawFile);
        value = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : 'ok';
        if (value.startsWith('bad')) throw new BadInputError(file, `the check file says "${value}"`);
      }
      await insertRows(em, entity, [{ experiment: job.jobId, value }]);
      return { rows: { [table]: 1 } };
    },
  });
}

/** check (reads check.txt) → downstream, and independent beside them, all after experiment. */
export const checkModule = tableModule('check', 'test_check', ['experiment'], 'check.txt');
export const downstreamModule = tableModule('downstream', 'test_downstream', ['check']);
export const independentModule = tableModule('independent', 'test_independent', ['experiment']);

const slowBase = tableModule('slow', 'test_slow', ['experiment']);

/** Writes its row, then works for up to a minute, stopping at once when cancelled. */
export const slowModule: PipelineModule = {
  ...slowBase,
  async process({ em, job, signal, heartbeat }) {
    await insertRows(em, slowBase.entities[0]!, [{ experiment: job.jobId, value: 'partial' }]);
    for (let i = 0; i < 600; i++) {
      if (signal.aborted) throw new Error('cancelled');
      heartbeat({ step: i });
      await new Promise((r) => setTimeout(r, 100));
    }
    return { rows: { test_slow: 1 } };
  },
};

/** Every test module, for ORMs that must know their tables. */
export const testModules = [checkModule, downstreamModule, independentModule, slowModule];
