import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartBackoff } from '../../src/stack/restart-backoff.js';

test('restarts wait 1, 2, 4 … s capped at 30 s, and stop after the tenth crash in a row', () => {
  const backoff = new RestartBackoff();
  const decisions = Array.from({ length: 10 }, () => backoff.crashed(500));
  assert.deepEqual(
    decisions.slice(0, 9).map((d) => (d.restart ? d.delayMs / 1000 : 'gave up')),
    [1, 2, 4, 8, 16, 30, 30, 30, 30],
  );
  assert.deepEqual(decisions[9], { restart: false, crashes: 10 });
});

test('a worker that ran healthily for a while starts the count again', () => {
  const backoff = new RestartBackoff({ initialDelayMs: 100, maxDelayMs: 1000, maxCrashes: 3, healthyAfterMs: 60_000 });
  assert.deepEqual(backoff.crashed(10), { restart: true, delayMs: 100, crashes: 1 });
  assert.deepEqual(backoff.crashed(10), { restart: true, delayMs: 200, crashes: 2 });
  assert.deepEqual(backoff.crashed(120_000), { restart: true, delayMs: 100, crashes: 1 });
  assert.deepEqual(backoff.crashed(10), { restart: true, delayMs: 200, crashes: 2 });
  assert.deepEqual(backoff.crashed(10), { restart: false, crashes: 3 });
});
