// What connection_strength's fitting threads cost in memory (issue 17 item 4): the fits of one
// simulated 6-cell site (30 pairs), `sites` times in a row as a worker at concurrency 1 runs
// experiments, on the product's pool; peak process RSS (sampled every 20 ms) and each thread's
// V8 heap after every site. Not part of `npm run bench`: run it alone, one variant per process,
//   node dist/bench/thread-memory.js <threads> [sites] [pool options as JSON]
// (threads 1 = in the job's thread, the reference; the JSON is merged over the product's options).
import v8 from 'node:v8';
import {
  ANALYSIS_POOL_OPTIONS,
  analysisPool,
  analyzePairs,
  closeAnalysisThreads,
} from '../src/modules/connection_strength/pair-analyses.js';
import { simulateSite } from '../src/sample-data/physiology/index.js';
import { siteResponses, simulatedSweeps } from '../test/helpers/site-analysis.js';

const MiB = 1024 * 1024;
const threads = Number(process.argv[2] ?? 2);
const sites = Number(process.argv[3] ?? 10);
Object.assign(ANALYSIS_POOL_OPTIONS, JSON.parse(process.argv[4] ?? '{}'));

const sweeps = simulatedSweeps(simulateSite({ cells: 6, sweeps: 30, seed: 11 }));
const { rate, perPair } = siteResponses('bench', sweeps);
const tasks = [...perPair.values()].map((responses) => ({ responses, rate }));
const signal = new AbortController().signal;

let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const base = process.memoryUsage().rss;
const heaps: { site: number; main: number; threads: { used: number; total: number }[] }[] = [];
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let s = 0; s < sites; s++) {
  for await (const _ of analyzePairs(tasks, signal, threads));
  const pool = analysisPool();
  const threadHeaps = await Promise.all(
    (pool?.threads ?? []).map(async (w) => {
      const h = await (
        w as unknown as { thread: { getHeapStatistics(): Promise<v8.HeapInfo> } }
      ).thread.getHeapStatistics();
      return { used: h.used_heap_size / MiB, total: h.total_heap_size / MiB };
    }),
  );
  heaps.push({ site: s + 1, main: v8.getHeapStatistics().total_heap_size / MiB, threads: threadHeaps });
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
clearInterval(sample);
await closeAnalysisThreads();
const last = heaps.at(-1)!;
console.log(
  JSON.stringify({
    threads,
    sites,
    options: ANALYSIS_POOL_OPTIONS,
    seconds: +seconds.toFixed(2),
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    baseRssMiB: +(base / MiB).toFixed(0),
    peakRssMiB: +(peak / MiB).toFixed(0),
    mainHeapMiB: +last.main.toFixed(0),
    threadHeapMiB: last.threads.map((t) => `${t.used.toFixed(0)}/${t.total.toFixed(0)}`),
    threadHeapTotalMiBBySite: heaps.map((h) => +h.threads.reduce((n, t) => n + t.total, 0).toFixed(0)),
  }),
);
