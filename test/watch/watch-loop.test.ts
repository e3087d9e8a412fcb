import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { WatchLimitError, watchPolling } from '../../src/watch/file-watcher.js';
import { jobIdOf, runWatchLoop, type WatchEvent } from '../../src/watch/watch-loop.js';
import { sleep } from '../../src/util/wait.js';
import { sampleRoot } from '../helpers/sample.js';
import { backdate } from '../../src/sample-data/backdate.js';

describe('watch loop', () => {
  it('maps a changed file to its site or slice, and ignores hidden files and other folders', () => {
    assert.equal(jobIdOf(['/d'], '/d/S1/site_2/recording.nwb'), 'S1/site_2');
    assert.equal(jobIdOf(['/d'], '/d/S1/slice.yml'), 'S1');
    assert.equal(jobIdOf(['/d'], '/d/S1/.sync/x'), undefined);
    assert.equal(jobIdOf(['/d'], '/elsewhere/S1/slice.yml'), undefined);
  });

  it('names the sysctl to raise when inotify runs out of watches', () => {
    assert.match(new WatchLimitError('/data').message, /sudo sysctl fs\.inotify\.max_user_watches=\d+.*--poll/);
  });

  it('polling: starts one update once a changed site is quiet and settled, not before', async () => {
    const { root, experiments } = sampleRoot(1, 2);
    backdate(root, 3_600_000);
    const events: WatchEvent[] = [];
    const started: number[] = [];
    const stop = new AbortController();
    const loop = runWatchLoop(
      {
        roots: [root],
        debounceMs: 300,
        pollMs: 100,
        settle: { seconds: 1 },
        tickMs: 100,
        watch: (onChange, onError) => watchPolling([root], 100, onChange, onError),
        startUpdate: async () => {
          started.push(Date.now());
          return `u${started.length}`;
        },
        emit: (e) => events.push(e),
      },
      stop.signal,
    );
    await sleep(300);
    const site = path.join(root, experiments[1]!);
    for (let k = 0; k < 3; k++) {
      fs.appendFileSync(path.join(site, 'site.yml'), '\n');
      await sleep(200);
    }
    const lastWrite = fs.statSync(path.join(site, 'site.yml')).mtimeMs;
    for (let waited = 0; waited < 5000 && started.length === 0; waited += 50) await sleep(50);
    stop.abort();
    await loop;
    assert.equal(started.length, 1, JSON.stringify(events));
    const delay = started[0]! - lastWrite;
    assert.ok(delay >= 900 && delay < 1000 + 300 + 600, `started ${delay} ms after the last write`);
    assert.deepEqual(
      events.map((e) => e.event),
      ['watching', 'changed', 'waiting', 'update', 'stopped'],
    );
    assert.deepEqual(events[3], { event: 'update', jobIds: [experiments[1]], updateId: 'u1' });
    fs.rmSync(root, { recursive: true });
  });
});
