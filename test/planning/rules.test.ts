import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, type JobFacts, type RuleContext } from '../../src/planning/rules.js';

function facts(overrides: Partial<JobFacts> = {}): JobFacts {
  return {
    jobId: 'S/site_1',
    status: 'succeeded',
    recorded: { codeVersion: '1', paramsHash: 'p', rawSignature: 'r' },
    current: { codeVersion: '1', paramsHash: 'p', rawSignature: 'r' },
    upstream: { experiment: { jobId: 'S/site_1', status: 'succeeded', changed: false } },
    ...overrides,
  };
}
const ctx = (overrides: Partial<RuleContext> = {}): RuleContext => ({
  plannedUpstream: () => undefined,
  retry: false,
  force: false,
  ...overrides,
});

describe('readiness rules', () => {
  it('an unchanged succeeded job is up to date', () => {
    assert.deepEqual(decide(facts(), ctx()), { ready: false, why: 'up-to-date' });
  });
  it('no record is new; running, skipped and cancelled records have no result, so new too', () => {
    for (const status of [null, 'running', 'skipped', 'cancelled'] as const) {
      assert.deepEqual(decide(facts({ status }), ctx()), { ready: true, reason: 'new' });
    }
  });
  it('a new code version is code-changed, new parameters params-changed', () => {
    assert.deepEqual(decide(facts({ current: { codeVersion: '2', paramsHash: 'p', rawSignature: 'r' } }), ctx()), {
      ready: true,
      reason: 'code-changed',
    });
    assert.deepEqual(decide(facts({ current: { codeVersion: '1', paramsHash: 'q', rawSignature: 'r' } }), ctx()), {
      ready: true,
      reason: 'params-changed',
    });
  });
  it('a changed raw signature is raw-changed', () => {
    assert.deepEqual(decide(facts({ current: { codeVersion: '1', paramsHash: 'p', rawSignature: 'x' } }), ctx()), {
      ready: true,
      reason: 'raw-changed',
    });
  });
  it('an upstream job that finished again, or runs in this update, is upstream-changed', () => {
    assert.deepEqual(
      decide(facts({ upstream: { experiment: { jobId: 'S/site_1', status: 'succeeded', changed: true } } }), ctx()),
      { ready: true, reason: 'upstream-changed:experiment' },
    );
    assert.deepEqual(decide(facts(), ctx({ plannedUpstream: () => 'raw-changed' })), {
      ready: true,
      reason: 'upstream-changed:experiment',
    });
  });
  it('downstream of new parameters, its inputs changed', () => {
    assert.deepEqual(decide(facts(), ctx({ plannedUpstream: () => 'params-changed' })), {
      ready: true,
      reason: 'upstream-changed:experiment',
    });
  });
  it('downstream of a code change is code-changed too', () => {
    assert.deepEqual(decide(facts(), ctx({ plannedUpstream: () => 'code-changed' })), {
      ready: true,
      reason: 'code-changed',
    });
  });
  it('waits while an upstream job has not succeeded and is not planned', () => {
    assert.deepEqual(
      decide(
        facts({ status: null, upstream: { experiment: { jobId: 'S/site_1', status: 'failed', changed: false } } }),
        ctx(),
      ),
      { ready: false, why: 'waiting:experiment' },
    );
    assert.deepEqual(
      decide(
        facts({ status: null, upstream: { experiment: { jobId: 'S/site_1', status: null, changed: true } } }),
        ctx({ plannedUpstream: () => 'new' }),
      ),
      { ready: true, reason: 'new' },
    );
  });
  it('a failed job reruns with --retry, or by itself once its inputs change', () => {
    assert.deepEqual(decide(facts({ status: 'failed' }), ctx()), { ready: false, why: 'failed' });
    assert.deepEqual(decide(facts({ status: 'failed' }), ctx({ retry: true })), {
      ready: true,
      reason: 'retry-failed',
    });
    assert.deepEqual(
      decide(facts({ status: 'failed', current: { codeVersion: '1', paramsHash: 'p', rawSignature: 'fixed' } }), ctx()),
      { ready: true, reason: 'raw-changed' },
    );
  });
  it('--force runs an up-to-date job but still waits for missing upstream results', () => {
    assert.deepEqual(decide(facts(), ctx({ force: true })), { ready: true, reason: 'forced' });
    assert.deepEqual(
      decide(
        facts({ upstream: { experiment: { jobId: 'S/site_1', status: 'failed', changed: false } } }),
        ctx({ force: true }),
      ),
      { ready: false, why: 'waiting:experiment' },
    );
  });
});
