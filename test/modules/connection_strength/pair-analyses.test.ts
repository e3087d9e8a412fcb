import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  analyzePairs,
  closeAnalysisThreads,
  PairAnalysisError,
  runningAnalysisThreads,
  type PairTask,
} from '../../../src/modules/connection_strength/pair-analyses.js';
import { analyzePair, type PairConnectivity } from '../../../src/modules/connection_strength/pair-connectivity.js';
import { simulateSite } from '../../../src/sample-data/physiology/index.js';
import { siteResponses, simulatedSweeps } from '../../helpers/site-analysis.js';

after(() => closeAnalysisThreads());

/** Every ordered pair of a simulated 4-cell site, current clamp, and each again read as voltage clamp. */
function siteTasks(): PairTask[] {
  const site = simulateSite({ cells: 4, sweeps: 4, seed: 3 });
  const sweeps = simulatedSweeps(site);
  const { rate, perPair } = siteResponses('expt', sweeps);
  return [...perPair.values()].flatMap((responses) => [
    { responses, rate },
    { responses, rate, options: { clampMode: 'vc' as const } },
  ]);
}

async function collect(tasks: PairTask[], threads: number, signal = new AbortController().signal) {
  const out: (PairConnectivity | null)[] = [];
  for await (const r of analyzePairs(tasks, signal, threads)) out.push(r);
  return out;
}

test('on three threads the results are those of one thread, in the tasks order', async () => {
  const tasks = siteTasks();
  const one = await collect(tasks, 1);
  const three = await collect(tasks, 3);
  assert.equal(one.length, tasks.length);
  assert.ok(one.filter((r) => r?.fit).length >= 4, 'some pairs were fitted');
  assert.deepStrictEqual(three, one);
});

test("a pair that fails on a thread fails with the one-thread path's error, at the same pair", async () => {
  const tasks = siteTasks();
  // Malformed input (a response without samples): the fit throws a TypeError.
  const bad = {
    ...tasks[3]!,
    responses: tasks[3]!.responses.map((r) => ({ ...r, data: null as unknown as number[] })),
  };
  const broken = [...tasks.slice(0, 3), bad, ...tasks.slice(4)];
  const direct = (() => {
    try {
      analyzePair(bad.responses, bad.rate, bad.options);
    } catch (error) {
      return error as Error;
    }
    assert.fail('the malformed pair should throw');
  })();
  for (const threads of [1, 2]) {
    const seen: unknown[] = [];
    await assert.rejects(
      (async () => {
        for await (const r of analyzePairs(broken, new AbortController().signal, threads)) seen.push(r);
      })(),
      (error: Error) => {
        assert.ok(error instanceof PairAnalysisError, `${error.name} on ${threads} thread(s)`);
        assert.equal(error.index, 3);
        assert.ok(error.cause instanceof TypeError, 'the cause keeps its class across the thread');
        assert.equal(error.cause.message, direct.message);
        return true;
      },
    );
    assert.equal(seen.length, 3, 'the pairs before the bad one, and none after');
  }
});

test('cancelling stops the fits and terminates the threads that ran them', async () => {
  const tasks = siteTasks();
  const many = [...tasks, ...tasks, ...tasks];
  const controller = new AbortController();
  const reason = new Error('cancelled by the test');
  const results = analyzePairs(many, controller.signal, 2);
  await results.next();
  assert.ok(runningAnalysisThreads() > 0);
  controller.abort(reason);
  await assert.rejects(results.next(), (error) => error === reason);
  // Terminating a thread is asynchronous; it must not wait for the fits that were queued.
  for (let i = 0; i < 100 && runningAnalysisThreads() > 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(runningAnalysisThreads(), 0);
});
