import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/errors/index.js';
import { ensureModuleEnv, environmentKey } from '../../src/external/python-env.js';

// Real venvs and a real pip against PyPI: what a worker does the first time it runs a python module.
describe('module Python environments', () => {
  let tmp: string;
  let cacheDir: string;
  let moduleDir: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-pyenv-'));
    cacheDir = path.join(tmp, 'cache');
    moduleDir = path.join(tmp, 'mod');
    fs.mkdirSync(moduleDir);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('builds once per requirements content, for concurrent callers too, taking over a dead lock', async () => {
    fs.writeFileSync(path.join(moduleDir, 'requirements.txt'), '# nothing beyond the helper\n');
    const key = environmentKey(path.join(moduleDir, 'requirements.txt'), 'python3');
    // A lock left by a builder that died (its pid no longer runs).
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    fs.mkdirSync(path.join(cacheDir, `${key}.lock`), { recursive: true });
    fs.writeFileSync(path.join(cacheDir, `${key}.lock`, 'owner'), `${os.hostname()} ${dead}\n`);
    const logs: string[] = [];
    const [a, b] = await Promise.all([
      ensureModuleEnv(moduleDir, 'requirements.txt', { cacheDir, log: (l) => logs.push(l) }),
      ensureModuleEnv(moduleDir, 'requirements.txt', { cacheDir, log: (l) => logs.push(l) }),
    ]);
    assert.equal(a.binDir, b.binDir);
    assert.equal(a.binDir, path.join(cacheDir, key, 'bin'));
    assert.equal(logs.length, 1, `built once: ${logs.join('; ')}`);
    assert.ok(!fs.existsSync(path.join(cacheDir, `${key}.lock`)), 'lock released');
    const probe = spawnSync(path.join(a.binDir, 'python3'), ['-c', 'import mpctl_module, psycopg; print("ok")'], {
      encoding: 'utf8',
    });
    assert.equal(probe.stdout.trim(), 'ok', probe.stderr);
    const t0 = Date.now();
    assert.deepEqual(await ensureModuleEnv(moduleDir, 'requirements.txt', { cacheDir }), a);
    assert.ok(Date.now() - t0 < 1000, 'reused, not rebuilt');
    // A changed pin is another environment.
    fs.writeFileSync(path.join(moduleDir, 'requirements.txt'), '# changed\n');
    assert.notEqual(environmentKey(path.join(moduleDir, 'requirements.txt'), 'python3'), key);
  });

  it('a pip failure names the requirements file and leaves nothing half-built', async () => {
    const file = path.join(moduleDir, 'bad-requirements.txt');
    fs.writeFileSync(file, 'psycopg==0.0.0\n');
    await assert.rejects(ensureModuleEnv(moduleDir, 'bad-requirements.txt', { cacheDir }), (error: Error) => {
      assert.match(error.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: pip install failed`));
      assert.match(error.message, /psycopg/);
      return true;
    });
    const key = environmentKey(file, 'python3');
    assert.ok(!fs.existsSync(path.join(cacheDir, key)), 'no half-built environment');
    assert.ok(!fs.existsSync(path.join(cacheDir, `${key}.lock`)), 'lock released');
  });

  it('a missing requirements file is a ConfigError naming it', async () => {
    await assert.rejects(ensureModuleEnv(moduleDir, 'nope.txt', { cacheDir }), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, `${path.join(moduleDir, 'nope.txt')}: python requirements file not found`);
      return true;
    });
  });
});
