import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDag } from '../../src/workflows/dag.js';

const nodes = [
  { id: 'experiment', dependencies: ['slice'] },
  { id: 'dataset', dependencies: ['experiment'] },
  { id: 'intrinsic', dependencies: ['dataset'] },
  { id: 'pulse_response', dependencies: ['dataset'] },
  { id: 'connection_strength', dependencies: ['pulse_response'] },
];

describe('runDag', () => {
  it('runs nodes after their dependencies and independent nodes concurrently', async () => {
    const events: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    await runDag(nodes, async (node) => {
      events.push(`start ${node.id}`);
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await new Promise((r) => setTimeout(r, node.id === 'intrinsic' ? 30 : 10));
      concurrent--;
      events.push(`end ${node.id}`);
    });
    assert.ok(events.indexOf('end dataset') < events.indexOf('start intrinsic'));
    assert.ok(events.indexOf('end pulse_response') < events.indexOf('start connection_strength'));
    assert.equal(maxConcurrent, 2, 'intrinsic and the pulse_response branch overlap');
  });

  it('a failure skips only its downstream; independent branches finish', async () => {
    const ran: string[] = [];
    const outcomes = await runDag(nodes, async (node) => {
      ran.push(node.id);
      if (node.id === 'pulse_response') throw new Error('bad');
    });
    assert.equal(outcomes.get('pulse_response')!.status, 'failed');
    assert.deepEqual(outcomes.get('connection_strength'), { status: 'skipped', blockedBy: 'pulse_response' });
    assert.equal(outcomes.get('intrinsic')!.status, 'succeeded');
    assert.ok(!ran.includes('connection_strength'));
  });

  it('names the root failure for transitively skipped nodes', async () => {
    const outcomes = await runDag(nodes, async (node) => {
      if (node.id === 'experiment') throw new Error('bad');
    });
    for (const id of ['dataset', 'intrinsic', 'pulse_response', 'connection_strength']) {
      assert.deepEqual(outcomes.get(id), { status: 'skipped', blockedBy: 'experiment' });
    }
  });
});
