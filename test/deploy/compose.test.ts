import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { composeWorkerArgv, workerEnvironment } from '../helpers/worker-process.js';
import { containerArgv } from './entrypoint.js';
import { type Manifest, repoRoot, runTool, skipWithoutTools } from './support.js';

const skip = skipWithoutTools();

/** The compose model after validation against the compose spec (docker-compose v2). */
function composeConfig(file: string): Manifest {
  const r = runTool('docker-compose', [
    '--project-directory',
    repoRoot,
    '-f',
    join(repoRoot, file),
    // Every profile, so opt-in services (the python worker pool) are validated too.
    '--profile',
    '*',
    'config',
    '--format',
    'json',
  ]);
  assert.equal(r.status, 0, `${file} does not validate:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Manifest;
}

const coreServices = ['postgres', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui'];

describe('docker-compose.yml', { skip }, () => {
  const model = skip ? {} : composeConfig('docker-compose.yml');
  const services = (model.services ?? {}) as Record<string, Manifest>;

  test('validates and holds the core services plus mpctl-migrate, mpctl-worker, the python pool and the schedule', () => {
    assert.deepEqual(
      Object.keys(services).sort(),
      [...coreServices, 'mpctl-migrate', 'mpctl-schedule', 'mpctl-worker', 'mpctl-worker-python'].sort(),
    );
    const pool = services['mpctl-worker-python']!;
    assert.deepEqual(containerArgv(pool.command), ['node', 'bin/run.js', 'worker', '--task-queue', 'python']);
    assert.deepEqual(pool.profiles, ['python-pool'], 'the second pool is opt-in');
  });

  test('the worker runs `mpctl worker`: node bin/run.js worker', () => {
    assert.deepEqual(containerArgv(services['mpctl-worker']!.command), ['node', 'bin/run.js', 'worker']);
    assert.deepEqual(containerArgv(services['mpctl-migrate']!.command), ['node', 'bin/run.js', 'db', 'migrate']);
    // The schedule is created once, idempotently, and only when asked for (profile schedule).
    assert.deepEqual(containerArgv(services['mpctl-schedule']!.command), [
      'node',
      'bin/run.js',
      'schedule',
      'create',
      '--if-absent',
      '--every',
      '5m',
    ]);
  });

  // test/worker/*.test.ts run this argv against a real PostgreSQL and Temporal; here it is
  // checked against the validated model, so the file as written and as compose reads it agree.
  test('the worker argv and variables the process tests use are what compose runs', () => {
    const worker = services['mpctl-worker']!;
    assert.deepEqual(composeWorkerArgv(), containerArgv(worker.command));
    const names = Object.keys(
      workerEnvironment({
        databaseUrl: '',
        temporalAddress: '',
        namespace: '',
        taskQueue: '',
        dataRoots: [],
        logFile: '',
      }),
    );
    assert.deepEqual(names.sort(), Object.keys(worker.environment).sort());
  });

  test('the worker can be scaled: no container_name, no published ports', () => {
    const worker = services['mpctl-worker']!;
    assert.equal(worker.container_name, undefined);
    assert.equal(worker.ports, undefined);
  });

  test('the worker waits for migrations and the Temporal namespace setup', () => {
    const deps = services['mpctl-worker']!.depends_on;
    assert.equal(deps['mpctl-migrate'].condition, 'service_completed_successfully');
    assert.equal(deps['temporal-setup'].condition, 'service_completed_successfully');
  });

  test('raw data is mounted read-only at MPCTL_DATA_ROOTS', () => {
    const worker = services['mpctl-worker']!;
    const data = (worker.volumes as Manifest[]).find((v) => v.target === worker.environment.MPCTL_DATA_ROOTS);
    assert.ok(data, 'no volume at MPCTL_DATA_ROOTS');
    assert.equal(data.read_only, true);
  });

  test('the worker gets the contract environment and outlives its grace time on stop', () => {
    const worker = services['mpctl-worker']!;
    for (const name of [
      'MPCTL_DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'MPCTL_TASK_QUEUE',
      'MPCTL_DATA_ROOTS',
    ]) {
      assert.ok(worker.environment[name], name);
    }
    const graceSeconds = Number(worker.environment.MPCTL_SHUTDOWN_GRACE_SECONDS);
    const stopSeconds = Number(/^(\d+)s$/.exec(worker.stop_grace_period)?.[1]);
    assert.ok(stopSeconds > graceSeconds, `stop_grace_period ${worker.stop_grace_period} <= ${graceSeconds}s`);
  });

  test('Temporal schema comes from admin-tools, not the deprecated auto-setup image', () => {
    for (const service of Object.values(services)) assert.doesNotMatch(service.image ?? '', /auto-setup/);
    assert.match(services['temporal-schema']!.image, /^temporalio\/admin-tools:/);
    assert.match(services['temporal-schema']!.command.join(' '), /temporal_visibility/);
    assert.equal(services.temporal!.depends_on['temporal-schema'].condition, 'service_completed_successfully');
    assert.equal(services.postgres!.healthcheck.test[0], 'CMD-SHELL');
  });
});

describe('docker-compose.core.yml (core services only)', { skip }, () => {
  const model = skip ? {} : composeConfig('docker-compose.core.yml');

  test('validates and holds only off-the-shelf services', () => {
    assert.deepEqual(Object.keys(model.services).sort(), [...coreServices].sort());
  });

  // Runs the one-shot scripts with stub CLIs: catches shell and `$$` escaping mistakes.
  test('schema and namespace one-shots run and register only missing search attributes', () => {
    const stubs = mkdtempSync(join(tmpdir(), 'mpctl-stubs-'));
    const calls = join(stubs, 'calls');
    const stub = (name: string, body: string) => {
      writeFileSync(join(stubs, name), `#!/bin/sh\necho "${name} $*" >> ${calls}\n${body}\n`);
      chmodSync(join(stubs, name), 0o755);
    };
    stub('temporal-sql-tool', '');
    stub(
      'temporal',
      'case "$*" in *"search-attribute list"*) echo "MpctlStatus  Keyword";; *"namespace describe"*) exit 1;; esac',
    );
    for (const name of ['temporal-schema', 'temporal-setup']) {
      const service = model.services[name] as Manifest;
      const script = (service.command[0] as string).replaceAll('$$', '$');
      const r = spawnSync(service.entrypoint[0], [...service.entrypoint.slice(1), script], {
        encoding: 'utf8',
        env: { ...process.env, ...service.environment, PATH: `${stubs}:${process.env.PATH}` },
      });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    }
    const log = readFileSync(calls, 'utf8');
    for (const db of ['temporal', 'temporal_visibility']) {
      assert.match(log, new RegExp(`--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/`));
    }
    assert.match(log, /namespace create -n default --retention 720h/);
    assert.match(log, /--name MpctlFailedModules --type KeywordList/);
    assert.doesNotMatch(log, /--name MpctlStatus/, 'an existing attribute was created again');
  });
});
