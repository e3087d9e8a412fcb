import assert from 'node:assert/strict';
import { test } from 'node:test';
import stringWidth from 'string-width';
import { table } from '../../src/cli/table.js';

test('columns line up in terminal columns when cells hold wide characters', () => {
  const out = table(
    ['module', 'jobs', 'note'],
    [
      ['細胞分類', 12, 'ok'],
      ['experiment', 3, '✓ 完了'],
      ['psp', 1004, 'é'],
    ],
  ).split('\n');
  // Every row's last column starts at the same terminal column.
  const starts = out.map((line) => stringWidth(line.slice(0, line.lastIndexOf('  ') + 2)));
  assert.deepEqual(new Set(starts).size, 1, out.join('\n'));
  assert.equal(out[1], '細胞分類      12  ok');
  assert.equal(out[3], 'psp         1004  é');
});
