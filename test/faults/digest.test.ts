import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareDigests } from './digest.js';

/** The fault suite's verdicts come from here, so they must be able to say "lost" and "duplicated". */
describe('compareDigests', () => {
  const clean = {
    recording: { rows: 10, digest: 'a' },
    pulse_response: { rows: 100, digest: 'b' },
    cell: { rows: 3, digest: 'c' },
  };

  it('equal tables: nothing lost, duplicated or changed', () => {
    assert.deepEqual(compareDigests(clean, structuredClone(clean)), { lost: 0, duplicated: 0, changed: [] });
  });

  it('counts missing rows as lost, extra rows as duplicated, and names tables whose content differs', () => {
    const faulted = {
      recording: { rows: 8, digest: 'x' },
      pulse_response: { rows: 104, digest: 'y' },
      cell: { rows: 3, digest: 'z' },
    };
    assert.deepEqual(compareDigests(clean, faulted), { lost: 2, duplicated: 4, changed: ['cell'] });
  });

  it('a table missing on either side counts in full', () => {
    const { cell: _cell, ...withoutCell } = clean;
    assert.deepEqual(compareDigests(clean, withoutCell), { lost: 3, duplicated: 0, changed: [] });
    assert.deepEqual(compareDigests(withoutCell, clean), { lost: 0, duplicated: 3, changed: [] });
  });
});
