import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrate, openOrm } from '../../src/schema/orm.js';
import { mpctl, type CliResult } from '../helpers/cli.js';
import { sampleRoot } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';

/**
 * Secrets given to mpctl (the database password, the Temporal API key) never come back out:
 * not in human output, not in --json, not in error messages, on success and on every failure.
 */
describe('credentials never appear in output, errors or --json', () => {
  const password = `pw-${crypto.randomBytes(8).toString('hex')}`;
  const apiKey = `key-${crypto.randomBytes(8).toString('hex')}`;
  const role = `canary_${crypto.randomBytes(4).toString('hex')}`;
  const { root } = sampleRoot(1, 2, 3, 9);
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-creds-'));
  let adminUrl = '';
  let databaseUrl = '';
  let env: NodeJS.ProcessEnv = {};

  before(async () => {
    const servers = await testServers();
    adminUrl = servers.postgresUrl;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${role} OWNER ${role}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.username = role;
    url.password = password;
    url.pathname = `/${role}`;
    databaseUrl = url.toString();
    const orm = await openOrm(databaseUrl);
    await migrate(orm);
    await orm.close();
    env = {
      MPCTL_DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: servers.temporalAddress,
      TEMPORAL_NAMESPACE: TEST_NAMESPACE,
      MPCTL_DATA_ROOTS: root,
      MPCTL_HOME: path.join(cwd, '.mpctl'),
    };
  });
  after(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${role} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  const assertClean = (what: string, result: CliResult) => {
    for (const [stream, text] of [
      ['stdout', result.stdout],
      ['stderr', result.stderr],
    ] as const) {
      assert.ok(!text.includes(password), `${what}: the database password is in ${stream}:\n${text}`);
      assert.ok(!text.includes(encodeURIComponent(password)), `${what}: the encoded password is in ${stream}`);
      assert.ok(!text.includes(apiKey), `${what}: the API key is in ${stream}:\n${text}`);
    }
  };

  it('commands that succeed print no secret, in text or --json', async () => {
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['update', '--dry-run', '--json'],
      ['update', '--dry-run'],
      ['failures', '--json'],
      ['modules', '--json'],
    ]) {
      const result = await mpctl(cwd, args, env);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assertClean(args.join(' '), result);
    }
  });

  it('a database that refuses the password, or is not there, fails without echoing it', async () => {
    const wrong = new URL(databaseUrl);
    wrong.password = `${password}-wrong`;
    const unreachable = new URL(databaseUrl);
    unreachable.port = '1';
    for (const [what, url] of [
      ['wrong password', wrong],
      ['unreachable', unreachable],
    ] as const) {
      for (const args of [['status', '--json'], ['status']]) {
        const result = await mpctl(cwd, args, { ...env, MPCTL_DATABASE_URL: url.toString() }, 60_000);
        assert.notEqual(result.code, 0, `${what}: ${args.join(' ')} must fail`);
        assertClean(`${what}: ${args.join(' ')}`, result);
      }
    }
  });

  it('a Temporal connection that fails (API key, TLS to a plaintext server) fails without echoing the key', async () => {
    const result = await mpctl(cwd, ['update', '--json'], { ...env, TEMPORAL_API_KEY: apiKey }, 60_000);
    assert.notEqual(result.code, 0, 'the update cannot start over TLS to a plaintext dev server');
    assertClean('update with an API key', result);
  });

  it('a worker whose database is down keeps polling (it recovers when the database returns) and never echoes the password', async () => {
    const gone = new URL(databaseUrl);
    gone.port = '1';
    // The helper ends the worker after 8 s; a worker that crashed on start would have exited by itself.
    const result = await mpctl(
      cwd,
      ['worker'],
      { ...env, MPCTL_DATABASE_URL: gone.toString(), MPCTL_HEALTH_PORT: '0' },
      8_000,
    );
    assert.match(result.stdout, /worker polling task queue/);
    assert.equal(result.code, -1, 'still running when stopped');
    assertClean('worker', result);
  });
});
