import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, skipWithoutTools } from './support.js';

// The whole CI gate in one run: lint, renders, schema, helm-unittest, compose, hadolint.
test('scripts/deploy-checks.sh passes', { skip: skipWithoutTools() }, () => {
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'deploy-checks.sh')], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /deploy-checks: \d+ passed, 0 failed/);
});
