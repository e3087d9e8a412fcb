import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');

function sources(): { file: string; lines: string[] }[] {
  return fs
    .readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: f, lines: fs.readFileSync(path.join(src, f), 'utf8').split('\n') }));
}

function find(pattern: RegExp): string[] {
  return sources().flatMap(({ file, lines }) =>
    lines.flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

/**
 * Every statement is a kysely `sql` template (values become bound parameters, names go through
 * sql.id) or a pg call with $n parameters. These checks fail when someone splices text into SQL.
 */
describe('SQL is parameterised', () => {
  it('sql.raw only ever splices a column type named in code', () => {
    assert.deepEqual(
      find(/sql\.raw\(/).map((hit) => hit.replace(/:\d+:/, ':')),
      ['db/sql.ts: arrays.push(sql`${values}::${sql.raw(type)}[]`);'],
    );
  });

  it('no pg query or ORM execute is built from a template literal or string concatenation', () => {
    const spliced = find(/\.(query|execute|raw)\(\s*(`[^`]*\$\{|'[^']*'\s*\+|"[^"]*"\s*\+)/)
      // CREATE DATABASE takes no parameters; the name is escaped by pg itself.
      .filter((hit) => !hit.includes('admin.escapeIdentifier('));
    assert.deepEqual(spliced, []);
  });

  it('identifiers spliced with sql.id come from declarations, not from input', () => {
    // Tables and columns named by modules or read from entity metadata, and bulkInsert's own aliases.
    const allowed = /sql\.id\((table|column(\.name)?|p|a|n|`[ocl]\$\{i\}`)\)/g;
    const other = find(/sql\.id\(/).filter((hit) => hit.replace(allowed, '').includes('sql.id('));
    assert.deepEqual(other, []);
  });
});
