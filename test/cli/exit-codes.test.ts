import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { mpctl } from '../helpers/cli.js';

// Nothing configured (no stack, no MPCTL_DATABASE_URL): every command that needs the database
// gives the same usage error with exit 2, the worker too, so scripts can tell it from a failure.
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-exit-'));
const env = { MPCTL_DATABASE_URL: '', MPCTL_HOME: path.join(cwd, '.mpctl'), TEMPORAL_ADDRESS: '127.0.0.1:1' };

for (const args of [['status'], ['worker', '--health-port', '0'], ['failures', '--json']]) {
  test(`mpctl ${args.join(' ')} with no database configured exits 2 and says what to set`, async () => {
    const result = await mpctl(cwd, args, env, 60_000);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stdout + result.stderr, /no database configured.*MPCTL_DATABASE_URL/s);
  });
}

test('--json errors carry the message and type (oclif 5 keeps them; no patch of our own)', async () => {
  const result = await mpctl(cwd, ['failures', '--json'], env, 60_000);
  const { error } = result.json<{ error: { name: string; message: string; errorType: string } }>();
  assert.equal(error.errorType, 'ConfigError');
  assert.match(error.message, /no database configured/);
});

test('a mistyped command exits 127 and points to the help of its topic', async () => {
  const result = await mpctl(cwd, ['stack', 'inf'], env, 60_000);
  assert.equal(result.code, 127, result.stderr);
  // oclif colours the names when the environment asks for colour (FORCE_COLOR, as some CI runners set).
  assert.match(stripVTControlCharacters(result.stderr), /stack inf is not a mpctl command.*mpctl help stack/s);
});

test('--help lists the topics with their descriptions', async () => {
  const result = await mpctl(cwd, ['--help'], env, 60_000);
  assert.match(result.stdout, /TOPICS\n\s+db\s+The bookkeeping database/);
  assert.match(result.stdout, /stack\s+The embedded stack/);
});
