import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { resolveConfig } from '../../src/config/config.js';
import { composeService, dockerfileInstructions } from './entrypoint.js';
import { byKind, chartDir, type Manifest, renderChart, repoRoot, skipWithoutTools } from './support.js';

// A misspelt variable in a deployment file is silently ignored at run time (the worker falls
// back to a default), so every MPCTL_*/TEMPORAL_* name the files set must be one mpctl reads.
const ours = (name: string) => /^(MPCTL|TEMPORAL)_/.test(name);

/** Variable names the sources read: `env.NAME` and `envInt('NAME', …)`. */
function namesReadBySource(): Set<string> {
  const names = new Set<string>();
  const files = readdirSync(join(repoRoot, 'src'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(repoRoot, 'src', file), 'utf8');
    for (const m of text.matchAll(/env\.([A-Z][A-Z0-9_]+)|envInt\('([A-Z][A-Z0-9_]+)'/g)) names.add((m[1] ?? m[2])!);
  }
  return names;
}

const read = namesReadBySource();
const skip = skipWithoutTools();

test('the source scan finds the variables the worker is known to read', () => {
  for (const name of [
    'MPCTL_DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'MPCTL_SHUTDOWN_GRACE_SECONDS',
    'TEMPORAL_TLS_CA',
    'TEMPORAL_API_KEY',
  ])
    assert.ok(read.has(name), name);
});

test('docker-compose.yml and the Dockerfile set only variables mpctl reads', () => {
  const set = [
    ...['mpctl-worker', 'mpctl-migrate'].flatMap((s) =>
      Object.keys(composeService(s).environment as Record<string, string>),
    ),
    ...dockerfileInstructions()
      .filter((i) => i.op === 'ENV')
      .flatMap((i) => [...i.args.matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]!)),
  ];
  assert.deepEqual(
    set.filter(ours).filter((n) => !read.has(n)),
    [],
  );
});

describe('helm chart environment, every ci/*-values.yaml', { skip }, () => {
  for (const file of readdirSync(join(chartDir, 'ci')).filter((f) => f.endsWith('-values.yaml'))) {
    test(`${file}: every variable is read, and configures the connection the values ask for`, () => {
      const manifests = renderChart(['-f', join(chartDir, 'ci', file)]);
      const pods = [...byKind(manifests, 'Deployment'), ...byKind(manifests, 'Job')].map((m) => m.spec.template.spec);
      for (const container of pods.flatMap((p: Manifest) => p.containers as Manifest[])) {
        const env = Object.fromEntries((container.env as Manifest[]).map((e) => [e.name, e.value ?? 'from-a-secret']));
        assert.deepEqual(
          Object.keys(env)
            .filter(ours)
            .filter((n) => !read.has(n)),
          [],
          container.name,
        );
        const config = resolveConfig({}, env, repoRoot);
        assert.equal(config.temporalAddress, env.TEMPORAL_ADDRESS);
        assert.equal(config.namespace, env.TEMPORAL_NAMESPACE);
        assert.equal(config.tls !== undefined, env.TEMPORAL_TLS === 'true', 'TLS on exactly when the chart enables it');
        assert.equal(config.tls?.serverRootCaCertPath, env.TEMPORAL_TLS_CA);
        assert.equal(config.tls?.clientCertPath, env.TEMPORAL_TLS_CERT);
        assert.equal(config.apiKey, env.TEMPORAL_API_KEY);
      }
    });
  }
});
