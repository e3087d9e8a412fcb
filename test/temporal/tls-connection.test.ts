import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import { query, sql } from '../../src/db/sql.js';
import { updateWorkflowId } from '../../src/workflow-safe/job-ids.js';
import { WorkflowNames, type PipelineUpdateInput } from '../../src/workflow-safe/workflow-types.js';
import { connectClient } from '../../src/temporal/connection.js';
import { mpctl, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { sampleRoot } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';
import { makeTestCerts } from '../helpers/test-certs.js';
import { startTlsProxy, type ProxiedCall, type TlsProxy, type TlsProxyOptions } from '../helpers/tls-proxy.js';
import { spawnWorker, type WorkerExit, type WorkerProcess } from '../helpers/worker-process.js';

// The dev server speaks plaintext only, so each case puts a TLS front (tls-proxy.ts) before it
// and runs a real `mpctl worker` through it, configured by the variables the Helm chart sets.
// The server certificate names only `temporal.test`, never 127.0.0.1: a connection succeeds
// only if TEMPORAL_TLS_SERVER_NAME reaches the certificate check.
const certs = makeTestCerts();
const { root } = sampleRoot(1, 2, 2, 23); // one slice job, two experiment jobs: metadata only, fast
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-tls-'));
const serverTls = { TEMPORAL_TLS_CA: certs.caCert, TEMPORAL_TLS_SERVER_NAME: certs.serverName };
const clientCert = { TEMPORAL_TLS_CERT: certs.clientCert, TEMPORAL_TLS_KEY: certs.clientKey };
let upstream: string;
before(async () => {
  upstream = (await testServers()).temporalAddress;
});
after(() => {
  for (const dir of [certs.dir, root, tmp]) fs.rmSync(dir, { recursive: true, force: true });
});

interface Case {
  proxy: TlsProxy;
  db: TestDatabase;
  worker: WorkerProcess;
  taskQueue: string;
}

/** A proxy, a database and a worker that connects through the proxy with `env`. */
async function startCase(
  name: string,
  proxyOptions: Omit<TlsProxyOptions, 'upstream' | 'certs'>,
  env: Record<string, string>,
): Promise<Case> {
  const proxy = await startTlsProxy({ upstream, certs, ...proxyOptions });
  const db = await createTestDatabase();
  const taskQueue = `tls-${name}-${crypto.randomBytes(3).toString('hex')}`;
  const worker = spawnWorker({
    databaseUrl: db.url,
    temporalAddress: proxy.address,
    namespace: TEST_NAMESPACE,
    taskQueue,
    dataRoots: [root],
    logFile: path.join(tmp, `${taskQueue}.log`),
    env,
  });
  return { proxy, db, worker, taskQueue };
}

async function stopCase(c: Case | undefined): Promise<void> {
  await c?.worker.stop('SIGKILL');
  await c?.proxy.close();
  await c?.db.drop();
}

/** Starts an update through the proxy with mpctl's own client (so mpctl builds the TLS options) and checks its jobs ran on the worker. */
async function runUpdateThrough(c: Case, env: Record<string, string>): Promise<void> {
  const config = resolveConfig(
    {},
    {
      TEMPORAL_ADDRESS: c.proxy.address,
      TEMPORAL_NAMESPACE: TEST_NAMESPACE,
      MPCTL_HOME: path.join(tmp, 'home'),
      ...env,
    },
    tmp,
  );
  const client = await connectClient(config);
  try {
    const progress = await client.workflow.execute(WorkflowNames.pipelineUpdate, {
      taskQueue: c.taskQueue,
      workflowId: updateWorkflowId(c.taskQueue),
      workflowExecutionTimeout: '60 seconds',
      args: [{ updateId: c.taskQueue, modules: ['slice', 'experiment'], parallel: 2 } satisfies PipelineUpdateInput],
    });
    assert.equal(progress.phase, 'done');
  } finally {
    await client.connection.close();
  }
  const jobs = await query<{ module: string; status: string; n: string; workers: string[] }>(
    c.db.orm.em.fork(),
    sql`
    SELECT module, status, count(*) AS n, array_agg(DISTINCT worker_identity) AS workers FROM pipeline_job GROUP BY module, status ORDER BY module, status`,
  );
  assert.deepEqual(
    jobs.map((j) => [j.module, j.status, Number(j.n), j.workers]),
    [
      ['experiment', 'succeeded', 2, [c.worker.identity]],
      ['slice', 'succeeded', 1, [c.worker.identity]],
    ],
  );
}

/** Both the worker's connections (the Rust core's polls and the Node client) and the test's client went through the proxy. */
function assertAllTraffic(calls: ProxiedCall[], check: (call: ProxiedCall) => boolean, what: string): void {
  const paths = new Set(calls.map((call) => call.path.split('/').pop()));
  for (const rpc of [
    'PollWorkflowTaskQueue',
    'PollActivityTaskQueue',
    'RespondActivityTaskCompleted',
    'StartWorkflowExecution',
  ])
    assert.ok(paths.has(rpc), `${rpc} went through the proxy`);
  const bad = calls.filter((call) => !check(call));
  assert.deepEqual(bad, [], `every call ${what}`);
}

/** What a user reads, with oclif's line wrapping undone. */
const said = (text: string) => text.replace(/\s+/g, ' ');
/** The error `--json` prints. */
const jsonError = (r: CliResult) => r.json<{ error: { name: string; message: string } }>().error;

/** Exit of a process that must stop by itself, killed (and failed) after `ms`. */
async function exitWithin(worker: WorkerProcess, ms: number): Promise<WorkerExit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => {
        void worker.stop('SIGKILL');
        reject(new Error(`worker still running after ${ms} ms:\n${worker.output()}`));
      }, ms)),
  );
  try {
    return await Promise.race([worker.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('TLS with the server CA and TEMPORAL_TLS_SERVER_NAME', () => {
  let c: Case;
  before(async () => {
    c = await startCase('ca', {}, serverTls);
  });
  after(() => stopCase(c));

  test('a worker connects through TLS, polls and runs an update started by mpctl over TLS', async () => {
    await c.worker.ready(30_000);
    await runUpdateThrough(c, serverTls);
    assertAllTraffic(
      c.proxy.calls,
      (call) => call.servername === certs.serverName && call.authority === certs.serverName,
      `sent SNI and :authority ${certs.serverName}`,
    );
  });

  test('without TEMPORAL_TLS_SERVER_NAME, or without the CA, mpctl refuses the server and says which setting to set', async () => {
    const base = {
      TEMPORAL_ADDRESS: c.proxy.address,
      TEMPORAL_NAMESPACE: TEST_NAMESPACE,
      MPCTL_TASK_QUEUE: c.taskQueue,
      MPCTL_HOME: path.join(tmp, 'home'),
    };
    const [noName, noCa] = await Promise.all([
      mpctl(tmp, ['update', 'slice', '--json'], { ...base, TEMPORAL_TLS_CA: certs.caCert }, 30_000),
      mpctl(tmp, ['update', 'slice', '--json'], { ...base, TEMPORAL_TLS_SERVER_NAME: certs.serverName }, 30_000),
    ]);
    assert.equal(noName.code, 1, noName.stdout + noName.stderr);
    assert.match(
      jsonError(noName).message,
      /TLS handshake failed \(Hostname\/IP does not match.*set TEMPORAL_TLS_SERVER_NAME/,
    );
    assert.equal(noCa.code, 1, noCa.stdout + noCa.stderr);
    assert.match(jsonError(noCa).message, /TLS handshake failed \(.*certificate.*set TEMPORAL_TLS_CA/);
  });
});

describe('mTLS: the server requires a client certificate signed by its CA', () => {
  let c: Case;
  before(async () => {
    c = await startCase('mtls', { requireClientCert: true }, { ...serverTls, ...clientCert });
  });
  after(() => stopCase(c));

  test('with TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY the worker connects and works', async () => {
    await c.worker.ready(30_000);
    await runUpdateThrough(c, { ...serverTls, ...clientCert });
    assertAllTraffic(c.proxy.calls, (call) => call.clientCn === 'mpctl-worker', 'came with the client certificate');
  });

  test('without them `mpctl worker` exits 1 in bounded time, saying a client certificate is required', async () => {
    const worker = spawnWorker({
      databaseUrl: c.db.url,
      temporalAddress: c.proxy.address,
      namespace: TEST_NAMESPACE,
      taskQueue: c.taskQueue,
      dataRoots: [root],
      logFile: path.join(tmp, 'no-client-cert.log'),
      env: serverTls,
    });
    const started = Date.now();
    const exit = await exitWithin(worker, 30_000);
    assert.equal(exit.code, 1, worker.output());
    assert.match(
      said(worker.output()),
      /cannot connect to Temporal at 127\.0\.0\.1:\d+ over TLS: TLS handshake failed \(tlsv13 alert certificate required\); the server requires a client certificate: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/,
    );
    assert.ok(exit.at - started < 20_000, `exit after ${exit.at - started} ms`);
    assert.ok(c.proxy.handshakeErrors.length > 0, 'the proxy refused a handshake');
  });

  test('a certificate without its key is a configuration error (exit 2), not a connection without one', async () => {
    const r = await mpctl(
      tmp,
      ['update', 'slice', '--json'],
      {
        TEMPORAL_ADDRESS: c.proxy.address,
        MPCTL_HOME: path.join(tmp, 'home'),
        ...serverTls,
        TEMPORAL_TLS_CERT: certs.clientCert,
      },
      30_000,
    );
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.deepEqual(jsonError(r), {
      name: 'ConfigError',
      errorType: 'ConfigError',
      message:
        'a TLS client certificate needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (tls.clientCertPath and tls.clientKeyPath)',
    });
  });
});

describe('API key over TLS', () => {
  const apiKey = `mpctl-test-${crypto.randomBytes(12).toString('hex')}`;
  let c: Case;
  before(async () => {
    c = await startCase('apikey', { apiKey }, { ...serverTls, TEMPORAL_API_KEY: apiKey });
  });
  after(() => stopCase(c));

  test('the worker and the client send `authorization: Bearer <key>` on every call, and the worker never prints the key', async () => {
    await c.worker.ready(30_000);
    await runUpdateThrough(c, { ...serverTls, TEMPORAL_API_KEY: apiKey });
    assertAllTraffic(c.proxy.calls, (call) => call.authorization === `Bearer ${apiKey}`, 'carried the API key');
    assert.ok(!c.worker.output().includes(apiKey), 'API key in the worker output');
    assert.ok(!fs.readFileSync(c.worker.logFile, 'utf8').includes(apiKey), 'API key in the worker log');
  });

  test('a wrong key is refused with a clear error (exit 1) that does not echo the key', async () => {
    const wrong = `wrong-${crypto.randomBytes(8).toString('hex')}`;
    const r = await mpctl(
      tmp,
      ['update', 'slice', '--json'],
      {
        TEMPORAL_ADDRESS: c.proxy.address,
        TEMPORAL_NAMESPACE: TEST_NAMESPACE,
        MPCTL_HOME: path.join(tmp, 'home'),
        ...serverTls,
        TEMPORAL_API_KEY: wrong,
      },
      30_000,
    );
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      jsonError(r).message,
      /^cannot connect to Temporal at .* over TLS: .*16 UNAUTHENTICATED: proxy: missing or wrong API key; the server rejected our credentials: check TEMPORAL_API_KEY/,
    );
    assert.ok(!(r.stdout + r.stderr).includes(wrong), 'API key echoed');
  });
});
