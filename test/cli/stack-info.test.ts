import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stackInfo } from '../../src/cli/stack-info.js';

test('stack info points uiUrl at the embedded namespace workflow list and masks the password', () => {
  const info = stackInfo({
    supervisorPid: 1,
    databaseUrl: 'postgresql://mpctl:secret@127.0.0.1:5432/mpctl',
    temporalAddress: '127.0.0.1:7233',
    namespace: 'mpctl',
    uiUrl: 'http://127.0.0.1:8233',
    taskQueue: 'mpctl',
    dataRoots: [],
    pids: {},
    startedAt: '2026-12-02T00:00:00Z',
  });
  assert.equal(info.uiUrl, 'http://127.0.0.1:8233/namespaces/mpctl/workflows');
  assert.doesNotMatch(info.databaseUrl, /secret/);
});
