import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { inflateExactly } from '../../src/nwb/reader/direct/inflate.js';

test('chunks inflated through the reused engine: exact bytes each time, bad streams and sizes refused', () => {
  const a = Buffer.from(Float32Array.from({ length: 16384 }, (_, i) => Math.sin(i / 7)).buffer);
  const b = Buffer.alloc(65536, 3);
  const za = deflateSync(a, { level: 4 });
  const zb = deflateSync(b, { level: 4 });
  // Alternating, so a result that leaked from the previous chunk (the buffer is reused) shows.
  for (let k = 0; k < 3; k++) {
    assert.ok(Buffer.from(inflateExactly(za, a.length)).equals(a));
    assert.ok(Buffer.from(inflateExactly(zb, b.length)).equals(b));
  }
  const badCheck = Buffer.from(za);
  badCheck[badCheck.length - 1]! ^= 0xff; // adler32
  assert.throws(() => inflateExactly(badCheck, a.length));
  assert.throws(() => inflateExactly(za.subarray(0, za.length >> 1), a.length), 'truncated stream');
  assert.throws(() => inflateExactly(za, a.length - 4), 'more bytes than the chunk holds');
  assert.throws(() => inflateExactly(za, a.length + 4), 'fewer bytes than the chunk holds');
  assert.throws(
    () => inflateExactly(Buffer.concat([za, Buffer.from([1, 2, 3])]), a.length),
    'garbage after the stream',
  );
  // And the engine still works after each refusal.
  assert.ok(Buffer.from(inflateExactly(za, a.length)).equals(a));
});
