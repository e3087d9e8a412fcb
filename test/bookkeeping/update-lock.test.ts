import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { releaseUpdateLock, tryTakeUpdateLock, updateLockHolder } from '../../src/bookkeeping/update-lock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(() => db.drop());

const em = () => db.orm.em.fork();
const alive = (holders: string[]) => async (holder: string) => holders.includes(holder);

describe('the update lock (its own table, pipeline_lock)', () => {
  it('is taken when free, kept by its holder, refused while the holder runs, released by the holder only', async () => {
    assert.deepEqual(await tryTakeUpdateLock(em(), 'a', alive([])), { taken: true, holder: 'a' });
    assert.deepEqual(await tryTakeUpdateLock(em(), 'a', alive(['a'])), { taken: true, holder: 'a' });
    assert.deepEqual(await tryTakeUpdateLock(em(), 'b', alive(['a'])), { taken: false, holder: 'a' });
    await releaseUpdateLock(em(), 'b');
    assert.equal(await updateLockHolder(em()), 'a');
    await releaseUpdateLock(em(), 'a');
    assert.equal(await updateLockHolder(em()), undefined);
  });

  it('passes from a holder that no longer runs to the next update', async () => {
    await tryTakeUpdateLock(em(), 'crashed', alive([]));
    assert.deepEqual(await tryTakeUpdateLock(em(), 'next', alive([])), { taken: true, holder: 'next' });
    await releaseUpdateLock(em(), 'next');
  });

  it('goes to exactly one of many updates that try at once', async () => {
    // Every racer is a running update: none may take the lock from another.
    const racers = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
    const attempts = await Promise.all(racers.map((racer) => tryTakeUpdateLock(em(), racer, alive(racers))));
    const winners = attempts.filter((a) => a.taken);
    assert.equal(winners.length, 1, JSON.stringify(attempts));
    assert.ok(attempts.every((a) => a.holder === winners[0]!.holder));
    assert.equal(await updateLockHolder(em()), winners[0]!.holder);
  });

  it('passes from a dead holder to exactly one of many updates that see it dead at once', async () => {
    await releaseUpdateLock(em(), (await updateLockHolder(em()))!);
    await tryTakeUpdateLock(em(), 'dead', alive([]));
    const racers = Array.from({ length: 8 }, (_, i) => `heir-${i}`);
    const attempts = await Promise.all(racers.map((racer) => tryTakeUpdateLock(em(), racer, alive(racers))));
    assert.equal(attempts.filter((a) => a.taken).length, 1, JSON.stringify(attempts));
  });
});
