#!/usr/bin/env node
// Runs the whole suite with node's test runner. Starts one real PostgreSQL and one real Temporal
// dev server for all integration tests (each test file makes its own database and task queue).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// On an unsupported system Node (20 here) the suite re-runs itself under the pinned Node 24.
const { usePinnedNode } = await import(path.join(root, 'bin/pinned-node.js'));
await usePinnedNode();
const onPath = spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout.trim();
console.error(`test runtime: node ${process.version} (${process.execPath}); node --version on PATH: ${onPath}`);
const { startTestServers, SERVER_ENV } = await import(path.join(root, 'dist/test/helpers/servers.js'));

const only = process.argv.slice(2);
if (!only.length || only.some((f) => f.includes('deploy'))) installDeployTools();
if (!only.length || only.some((f) => /production-server|cluster/.test(f))) installTemporalServer();
await installPython();
installTmux();
if (!only.length || only.some((f) => f.includes('report'))) installChromium();
const files = only.length ? only : listTests(path.join(root, 'dist/test'));
const started = Date.now();
const servers = await startTestServers((line) => process.env.MPCTL_TEST_VERBOSE && console.error(line));
console.error(
  `test servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s (PostgreSQL + Temporal ${servers.temporalAddress})`,
);

const env = {
  // Test fixtures are written moments before each update; the default 60 s settle time would hold them all.
  // Tests of the settle rule set their own.
  MPCTL_SETTLE_SECONDS: '0',
  ...process.env,
  [SERVER_ENV.postgres]: servers.postgresUrl,
  [SERVER_ENV.temporal]: servers.temporalAddress,
  ...(servers.temporalCliPath
    ? { [SERVER_ENV.cli]: servers.temporalCliPath, TEMPORAL_CLI_PATH: servers.temporalCliPath }
    : {}),
};
// No single test or hook may hang the suite: 20 minutes is four times the slowest one measured.
const testTimeoutMs = Number(process.env.MPCTL_TEST_TIMEOUT_MS ?? 20 * 60_000);
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-concurrency=1',
    `--test-timeout=${testTimeoutMs}`,
    // MPCTL_TEST_NAME_PATTERN=regex runs only the matching tests of the chosen files (their hooks still run).
    ...(process.env.MPCTL_TEST_NAME_PATTERN ? [`--test-name-pattern=${process.env.MPCTL_TEST_NAME_PATTERN}`] : []),
    ...files,
  ],
  {
    cwd: root,
    env,
    stdio: 'inherit',
  },
);
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await servers.stop();
process.exit(code);

/** Helm, helm-unittest, hadolint and compose for the deployment checks: installed once into ~/.cache/mpctl/tools. */
function installDeployTools() {
  const t0 = Date.now();
  const result = spawnSync('bash', [path.join(root, 'scripts/deploy-tools.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status === 3)
    console.error('deploy tools cannot be installed on this machine; the deployment tests say why');
  else if (result.status !== 0) process.exit(result.status ?? 1);
  else console.error(`deploy tools ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * The production Temporal server, built from the Go module proxy into ~/.cache/mpctl/tools, so
 * that test/temporal/production-server.test.ts runs on a fresh clone rather than skipping. The
 * first build takes ~15 minutes on 2 cores (measured 889 s); later runs find it cached (0.1 s).
 * Without go or the proxy the script exits 3 and the test skips, saying why.
 */
function installTemporalServer() {
  const t0 = Date.now();
  const result = spawnSync('bash', [path.join(root, 'scripts/temporal-server.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status === 3)
    console.error('the production Temporal server cannot be built on this machine; its test says why');
  else if (result.status !== 0) process.exit(result.status ?? 1);
  else console.error(`production Temporal server ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** pynwb for the tests that read files pynwb itself wrote; without it they skip and say why. */
async function installPython() {
  const { devPython } = await import(path.join(root, 'dist/test/helpers/python-env.js'));
  try {
    devPython();
  } catch (error) {
    console.error(`no Python with pynwb (${error.message.split('\n')[0]}); the pynwb tests will skip`);
  }
}

/** Debian packages the tests need, from apt when missing (root only); `apt-get update` runs once. */
function aptInstall(pkg) {
  const apt = (...args) =>
    spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  if (process.getuid?.() !== 0) return false;
  // A property of the (hoisted) function: this runs from top-level code above any `let` here.
  if (!aptInstall.updated && !apt('update')) return false;
  aptInstall.updated = true;
  return apt('install', '-y', '--no-install-recommends', pkg);
}

/** tmux gives the progress test a real pseudo-terminal of 80×30. */
function installTmux() {
  if (spawnSync('tmux', ['-V']).status === 0) return;
  if (!aptInstall('tmux'))
    console.error('tmux could not be installed; the pseudo-terminal tests will skip and say why');
}

/** Debian's chromium for the report's browser tests (playwright-core drives it; no browser download). */
function installChromium() {
  if (fs.existsSync('/usr/bin/chromium')) return;
  console.error('installing Debian chromium for the browser tests…');
  if (!aptInstall('chromium')) process.exit(1);
}

/**
 * Every test file, less the opt-in folders: test/cluster (the production Temporal server, one
 * process per service: `npm run test:cluster`) builds a Go server and runs for many minutes.
 */
function listTests(dir) {
  const optIn = ['cluster' + path.sep];
  console.error('not in the default run: dist/test/cluster (run `npm run test:cluster`)');
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.test.js') && !optIn.some((p) => f.startsWith(p)))
    .map((f) => path.join(dir, f))
    .sort();
}
