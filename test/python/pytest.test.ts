import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SHIPPED_MODULES } from '../../src/external/discover.js';
import { ensureModuleEnv, HELPER_PACKAGE } from '../../src/external/python-env.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** Runs a folder's pytest suite in the module environment its test requirements make (helper + pytest, pinned). */
async function pytest(dir: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  // No Python is a failure that says so, not a skip: CI must have python3 (with venv).
  const { binDir } = await ensureModuleEnv(dir, 'test-requirements.txt', { log: (l) => console.log(`# ${l}`) });
  const result = spawnSync(path.join(binDir, 'python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
    timeout: 300_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  assert.equal(result.status, 0, `pytest in ${dir} failed:\n${output}`);
  // A summary line such as "14 passed in 0.5s": the suite ran and found tests.
  assert.match(output, /\d+ passed/);
  console.log(`# ${path.basename(dir)}: ${output.trim().split('\n').at(-1)}`);
}

describe('the Python pieces, tested with pytest', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.drop();
  });

  it('python/mpctl-module: job, emit, progress, BadInput → 65, query on a real read-only PostgreSQL', async () => {
    await pytest(HELPER_PACKAGE, { MPCTL_TEST_DATABASE_URL: db.url, MPCTL_TEST_REQUIRE_DATABASE: '1' });
  });

  it("modules/dynamics: the module's maths on synthetic trains", async () => {
    await pytest(path.join(SHIPPED_MODULES, 'dynamics'));
  });
});
