import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Lints a probe file placed in src/workflows/ (where the sandbox rules apply) and removes it again. */
async function lintWorkflowProbe(source: string): Promise<string[]> {
  const file = path.join(root, 'src/workflows', `lint-probe-${process.pid}.ts`);
  fs.writeFileSync(file, source);
  try {
    const [result] = await new ESLint({ cwd: root }).lintFiles([file]);
    return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

test('workflow code may not import Node built-ins or worker-side packages, read process or forget an await', async () => {
  const messages = await lintWorkflowProbe(`import fs from 'node:fs';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
const { releaseUpdateLock } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });
export async function probe(w: Worker): Promise<void> {
  releaseUpdateLock({ updateId: 'x' });
  console.log(fs, Client, w, process.env.X);
}
`);
  const byRule = (rule: string) => messages.filter((m) => m.startsWith(`${rule}:`));
  assert.equal(byRule('@typescript-eslint/no-restricted-imports').length, 2, messages.join('\n'));
  assert.match(byRule('@typescript-eslint/no-restricted-imports')[0]!, /'node:fs'/);
  assert.match(byRule('@typescript-eslint/no-restricted-imports')[1]!, /'@temporalio\/client'/);
  assert.equal(byRule('@typescript-eslint/no-floating-promises').length, 1, messages.join('\n'));
  assert.equal(byRule('no-restricted-globals').length, 1, messages.join('\n'));
});

test('workflow code that keeps to the sandbox rules lints clean', async () => {
  const messages = await lintWorkflowProbe(`import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { experimentWorkflowId } from '../workflow-safe/job-ids.js';
const { releaseUpdateLock } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });
export async function probe(): Promise<string> {
  await releaseUpdateLock({ updateId: 'x' });
  return experimentWorkflowId('a/b');
}
`);
  assert.deepEqual(messages, []);
});
