import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downstreamOf, orderGraph, upstreamOf } from '../../src/modules/graph.js';
import { selectModules } from '../../src/modules/selection.js';
import { createRegistry } from '../../src/modules/index.js';

const node = (name: string, ...dependencies: string[]) => ({ name, dependencies });
// The v1 shape, plus `aside` which sorts after dataset but does not depend on it.
const graph = orderGraph([
  node('slice'),
  node('experiment', 'slice'),
  node('dataset', 'experiment'),
  node('aside', 'experiment'),
  node('intrinsic', 'dataset'),
  node('pulse_response', 'dataset'),
  node('connection_strength', 'pulse_response'),
]);

describe('module graph', () => {
  it('orders dependencies before dependents', () => {
    const names = graph.map((n) => n.name);
    for (const n of graph)
      for (const dep of n.dependencies)
        assert.ok(names.indexOf(dep) < names.indexOf(n.name), `${dep} before ${n.name}`);
  });

  it('rejects a duplicate module, an unknown dependency and a cycle with a clear message', () => {
    assert.throws(() => orderGraph([node('a'), node('a')]), /module "a" is declared twice/);
    assert.throws(() => orderGraph([node('a', 'ghost')]), /module "a" depends on unknown module "ghost"/);
    assert.throws(() => orderGraph([node('a', 'c'), node('b', 'a'), node('c', 'b')]), /cycle: a -> c -> b -> a/);
  });

  it('finds downstream and upstream modules by the graph, not by sort position', () => {
    assert.deepEqual(downstreamOf(graph, 'dataset'), ['intrinsic', 'pulse_response', 'connection_strength']);
    assert.deepEqual(upstreamOf(graph, 'pulse_response'), ['slice', 'experiment', 'dataset']);
  });

  it('resolves the selection syntax', () => {
    assert.deepEqual(selectModules(graph, ['dataset:']), [
      'dataset',
      'intrinsic',
      'pulse_response',
      'connection_strength',
    ]);
    assert.deepEqual(selectModules(graph, [':experiment']), ['slice', 'experiment']);
    assert.deepEqual(selectModules(graph, ['intrinsic', 'slice']), ['slice', 'intrinsic']);
    assert.deepEqual(
      selectModules(graph, ['all']),
      graph.map((n) => n.name),
    );
    assert.deepEqual(
      selectModules(graph, []),
      graph.map((n) => n.name),
    );
    assert.throws(() => selectModules(graph, ['datset']), /unknown module "datset"/);
  });

  it('the shipped registry is valid', () => {
    const registry = createRegistry();
    assert.equal(registry.names[0], 'slice');
    assert.equal(registry.upstreamJobId('experiment', 'slice', 'S1/site_2'), 'S1');
  });
});
