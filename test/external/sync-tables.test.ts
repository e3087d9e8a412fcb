import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest } from '../../src/external/manifest.js';
import { syncExternalTables } from '../../src/external/sync-tables.js';
import { query, sql } from '../../src/db/sql.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../../test/fixtures/modules/site_files');
let db: TestDatabase;
before(async () => (db = await createTestDatabase()));
after(async () => {
  await db.drop();
});

/** A copy of the fixture module whose module.yml the test may rewrite. */
function moduleCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-mod-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

async function columns(table: string): Promise<string[]> {
  const rows = await query<{ column_name: string }>(
    db.orm.em.fork(),
    sql`SELECT column_name FROM information_schema.columns WHERE table_name = ${table} ORDER BY ordinal_position`,
  );
  return rows.map((r) => r.column_name);
}

test('a new module gets its tables; the same manifest again changes nothing', async () => {
  const dir = moduleCopy();
  const manifest = readManifest(path.join(dir, 'module.yml'));
  const first = await syncExternalTables(db.url, [manifest]);
  assert.equal(first.modules[0]!.action, 'create');
  assert.ok(
    first.statements.some((s) => /create table "site_files"/.test(s)),
    first.statements.join('\n'),
  );
  assert.deepEqual(await columns('site_files'), ['id', 'experiment_id', 'n_files', 'first_cell', 'note']);
  const again = await syncExternalTables(db.url, [manifest]);
  assert.deepEqual(again.statements, []);
  assert.equal(again.modules[0]!.action, 'unchanged');
});

test('a changed declaration needs a version bump; with it the tables are rebuilt', async () => {
  const dir = moduleCopy();
  const file = path.join(dir, 'module.yml');
  fs.writeFileSync(
    file,
    fs
      .readFileSync(file, 'utf8')
      .replace('name: site_files', 'name: site_files_b')
      .replace(/site_files:\n/, 'site_files_b:\n'),
  );
  await syncExternalTables(db.url, [readManifest(file)]);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('note: text', 'note: text\n      score: double'));
  await assert.rejects(syncExternalTables(db.url, [readManifest(file)]), (error: Error) => {
    assert.match(error.message, /module\.yml: tables: the declaration changed but version is still "1"; bump version/);
    return true;
  });
  assert.ok(!(await columns('site_files_b')).includes('score'), 'nothing changed by the refused sync');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: "1"', 'version: "2"'));
  const bumped = await syncExternalTables(db.url, [readManifest(file)]);
  assert.equal(bumped.modules[0]!.action, 'rebuild');
  assert.ok(
    bumped.statements.some((s) => /drop table/.test(s)),
    bumped.statements.join('\n'),
  );
  assert.ok((await columns('site_files_b')).includes('score'));
});

test('a description or unit edited without a version bump is documentation: recorded, no DDL, no error', async () => {
  const dir = moduleCopy();
  const file = path.join(dir, 'module.yml');
  const named = fs
    .readFileSync(file, 'utf8')
    .replace('name: site_files', 'name: site_files_d')
    .replace(/site_files:\n/, 'site_files_d:\n');
  fs.writeFileSync(file, named);
  await syncExternalTables(db.url, [readManifest(file)]);
  fs.writeFileSync(file, named.replace('note: text', "note: { type: text, description: 'a free note', unit: none }"));
  const edited = await syncExternalTables(db.url, [readManifest(file)]);
  assert.deepEqual(edited.statements, []);
  assert.equal(edited.modules[0]!.action, 'record');
  const [record] = await query<{ tables: { site_files_d: { columns: { note: { description: string } } } } }>(
    db.orm.em.fork(),
    sql`SELECT tables FROM pipeline_module WHERE name = 'site_files_d'`,
  );
  assert.equal(record!.tables.site_files_d.columns.note.description, 'a free note');
});

test('a dry run reports the DDL and changes nothing', async () => {
  const dir = moduleCopy();
  const file = path.join(dir, 'module.yml');
  fs.writeFileSync(
    file,
    fs
      .readFileSync(file, 'utf8')
      .replace('name: site_files', 'name: site_files_c')
      .replace(/site_files:\n/, 'site_files_c:\n'),
  );
  const report = await syncExternalTables(db.url, [readManifest(file)], { dryRun: true });
  assert.ok(report.statements.some((s) => /create table "site_files_c"/.test(s)));
  assert.deepEqual(await columns('site_files_c'), []);
});
