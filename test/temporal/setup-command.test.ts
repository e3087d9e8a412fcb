import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Connection } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common/lib/time.js';
import { searchAttributeKeys } from '../../src/workflow-safe/search-attributes.js';
import { mpctl } from '../helpers/cli.js';
import { testServers } from '../helpers/servers.js';

interface SetupResult {
  namespace: string;
  added: string[];
  retentionDays: number;
}

// `mpctl temporal setup` as an operator runs it against an external cluster: a namespace that
// exists (created by the cluster's admin) but has none of mpctl's search attributes yet.
let connection: Connection;
let env: NodeJS.ProcessEnv;
const namespace = `setup-${crypto.randomBytes(4).toString('hex')}`;
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-setup-'));

before(async () => {
  const { temporalAddress } = await testServers();
  connection = await Connection.connect({ address: temporalAddress });
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  env = { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: namespace, MPCTL_HOME: path.join(cwd, '.mpctl') };
});
after(async () => {
  await connection?.close();
});

test('`mpctl temporal setup` registers the search attributes and the retention, and is safe to run again', async () => {
  const first = await mpctl(cwd, ['temporal', 'setup', '--retention-days', '45', '--json'], env, 60_000);
  assert.equal(first.code, 0, first.stderr);
  const result = first.json<SetupResult>();
  assert.deepEqual(
    { ...result, added: result.added.sort() },
    { namespace, added: searchAttributeKeys.map((k) => k.name).sort(), retentionDays: 45 },
  );

  const described = await connection.workflowService.describeNamespace({ namespace });
  assert.equal(tsToMs(described.config!.workflowExecutionRetentionTtl!), 45 * 24 * 3600 * 1000);
  const attributes = await connection.operatorService.listSearchAttributes({ namespace });
  for (const key of searchAttributeKeys)
    assert.ok(attributes.customAttributes?.[key.name] !== undefined, `${key.name} registered`);

  const again = await mpctl(cwd, ['temporal', 'setup', '--json'], env, 60_000);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(again.json(), { namespace, added: [], retentionDays: 30 });
});

test('`mpctl temporal setup` without a Temporal address is a usage error (exit 2) that says what to set', async () => {
  const r = await mpctl(
    cwd,
    ['temporal', 'setup'],
    { TEMPORAL_ADDRESS: '', MPCTL_HOME: path.join(cwd, 'none') },
    60_000,
  );
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /TEMPORAL_ADDRESS/);
});
