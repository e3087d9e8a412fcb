import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { redactUrl, resolveConfig } from '../../src/config/config.js';
import { writeStackState } from '../../src/config/stack-state.js';

describe('configuration', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-config-'));
  fs.writeFileSync(
    path.join(cwd, 'mpctl.config.json'),
    JSON.stringify({ databaseUrl: 'postgresql://file/db', namespace: 'from-file', dataRoots: ['raw'] }),
  );
  fs.mkdirSync(path.join(cwd, '.mpctl'));
  writeStackState(path.join(cwd, '.mpctl'), {
    supervisorPid: process.pid,
    databaseUrl: 'postgresql://stack/db',
    temporalAddress: 'stack:7233',
    namespace: 'mpctl',
    uiUrl: 'http://ui',
    taskQueue: 'mpctl',
    dataRoots: ['/stack/data'],
    pids: {},
    startedAt: '',
  });

  it('takes flags over environment over the config file over the running stack over defaults', () => {
    const env = { MPCTL_DATABASE_URL: 'postgresql://env/db' };
    const config = resolveConfig({ namespace: 'from-flag' }, env, cwd);
    assert.equal(config.namespace, 'from-flag');
    assert.equal(config.databaseUrl, 'postgresql://env/db');
    assert.equal(config.temporalAddress, 'stack:7233');
    assert.deepEqual(config.dataRoots, [path.join(cwd, 'raw')]);
    assert.equal(config.taskQueue, 'mpctl');
    assert.deepEqual(config.sources, {
      dataRoots: 'file',
      namespace: 'flag',
      databaseUrl: 'env',
      temporalAddress: 'stack',
      taskQueue: 'stack',
      uiUrl: 'stack',
    });
  });

  it('splits MPCTL_DATA_ROOTS on colons', () => {
    const config = resolveConfig({}, { MPCTL_DATA_ROOTS: '/a:/b' }, cwd);
    assert.deepEqual(config.dataRoots, ['/a', '/b']);
    assert.ok(config.dataRootsExplicit);
  });

  it('reads TLS certificate paths in a config file relative to that file; TLS variables replace its tls block', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-config-tls-'));
    fs.writeFileSync(
      path.join(dir, 'elsewhere.json'),
      JSON.stringify({
        tls: {
          serverRootCaCertPath: 'certs/ca.crt',
          clientCertPath: '/abs/tls.crt',
          clientKeyPath: 'certs/tls.key',
          serverNameOverride: 'temporal.test',
        },
        apiKey: 'from-file',
      }),
    );
    const config = resolveConfig({}, { MPCTL_CONFIG: path.join(dir, 'elsewhere.json') }, cwd);
    assert.deepEqual(config.tls, {
      serverRootCaCertPath: path.join(dir, 'certs/ca.crt'),
      clientCertPath: '/abs/tls.crt',
      clientKeyPath: path.join(dir, 'certs/tls.key'),
      serverNameOverride: 'temporal.test',
    });
    assert.equal(config.apiKey, 'from-file');
    const fromEnv = resolveConfig(
      {},
      { MPCTL_CONFIG: path.join(dir, 'elsewhere.json'), TEMPORAL_TLS_CA: 'ca.pem', TEMPORAL_API_KEY: 'from-env' },
      cwd,
    );
    assert.deepEqual(fromEnv.tls, {
      serverRootCaCertPath: 'ca.pem',
      serverNameOverride: undefined,
      clientCertPath: undefined,
      clientKeyPath: undefined,
    });
    assert.equal(fromEnv.apiKey, 'from-env');
  });

  it('masks passwords for printing', () => {
    assert.equal(
      redactUrl('postgresql://mpctl:s3cret@127.0.0.1:5432/mpctl'),
      'postgresql://mpctl:***@127.0.0.1:5432/mpctl',
    );
  });
});
