// The worker command as the containers run it, read from the Dockerfile and compose
// file, so a test can run the very same argv outside a container.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Manifest, repoRoot } from './support.js';

export interface DockerfileInstruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
export function dockerfileInstructions(path = join(repoRoot, 'Dockerfile')): DockerfileInstruction[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

/** The exec-form array of the last ENTRYPOINT or CMD. */
export function execForm(op: 'ENTRYPOINT' | 'CMD'): string[] {
  const found = dockerfileInstructions()
    .filter((i) => i.op === op)
    .pop();
  if (!found) throw new Error(`Dockerfile has no ${op}`);
  const parsed: unknown = JSON.parse(found.args);
  if (!Array.isArray(parsed)) throw new Error(`${op} is not in exec form`);
  return parsed as string[];
}

/**
 * argv of a compose service's container: the image ENTRYPOINT followed by the
 * service's command (or the image CMD). For mpctl-worker: node bin/run.js worker.
 */
export function containerArgv(serviceCommand: string[] | undefined): string[] {
  return [...execForm('ENTRYPOINT'), ...(serviceCommand ?? execForm('CMD'))];
}

/**
 * A service of docker-compose.yml as written: anchors and `<<` merges resolved, `${VAR}`
 * left as is. Needs no compose binary, so tests without the deploy tools can read it;
 * compose.test.ts checks it agrees with `docker-compose config`.
 */
export function composeService(name: string, file = join(repoRoot, 'docker-compose.yml')): Manifest {
  const model = parse(readFileSync(file, 'utf8'), { merge: true }) as Manifest;
  const service = model.services?.[name] as Manifest | undefined;
  if (!service) throw new Error(`${file} has no service ${name}`);
  return service;
}
