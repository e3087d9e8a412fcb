import path from 'node:path';
import { holdUnfinished, type WaitingJob } from '../raw/readiness.js';
import { scanDataRoots } from '../raw/scan.js';
import type { SettleRule } from '../raw/settle.js';
import type { FileWatcher, OnChange, OnError } from './file-watcher.js';

/** One line of `mpctl watch --json`. */
export type WatchEvent =
  | { event: 'watching'; roots: string[]; debounceMs: number; poll: number | null }
  | { event: 'changed'; jobId: string; file: string }
  | { event: 'waiting'; jobId: string; reason: WaitingJob['reason']; detail: string }
  | { event: 'update'; jobIds: string[]; updateId: string }
  | { event: 'error'; message: string }
  | { event: 'stopped' };

export interface WatchLoopOptions {
  roots: string[];
  debounceMs: number;
  /** Polling interval, when polling instead of inotify. */
  pollMs?: number;
  settle: SettleRule;
  watch: (onChange: OnChange, onError: OnError) => FileWatcher;
  /** Starts an update (or triggers the schedule) and returns its id. */
  startUpdate: (jobIds: string[]) => Promise<string>;
  emit: (event: WatchEvent) => void;
  /** How often due sites are checked; a second keeps latency near debounce + settle. */
  tickMs?: number;
}

/**
 * Collects changed slices and sites; once one has been quiet for the debounce time and is no
 * longer settling, starts one update for all that are due. Updates never overlap (the update lock),
 * so a change during an update is picked up by the next.
 */
export async function runWatchLoop(options: WatchLoopOptions, stop: AbortSignal): Promise<void> {
  const dirty = new Map<string, number>();
  const reported = new Map<string, string>();
  const onChange: OnChange = (file) => {
    const jobId = jobIdOf(options.roots, file);
    if (!jobId) return;
    if (!dirty.has(jobId)) options.emit({ event: 'changed', jobId, file });
    dirty.set(jobId, Date.now());
  };
  const watcher = options.watch(onChange, (error) => options.emit({ event: 'error', message: error.message }));
  // 'watching' means it: changes made before the watcher has read the tree would go unseen.
  await watcher.ready;
  options.emit({
    event: 'watching',
    roots: options.roots,
    debounceMs: options.debounceMs,
    poll: options.pollMs ?? null,
  });
  let busy = false;
  const tick = async () => {
    if (busy || dirty.size === 0) return;
    busy = true;
    try {
      const now = Date.now();
      const quiet = [...dirty].filter(([, at]) => now - at >= options.debounceMs).map(([id]) => id);
      if (quiet.length === 0) return;
      const ready = holdUnfinished(scanDataRoots(options.roots), options.settle, now);
      const waiting = new Map(ready.waiting.map((w) => [w.jobId, w]));
      const due: string[] = [];
      for (const jobId of quiet) {
        const wait = waiting.get(jobId) ?? waiting.get(jobId.split('/')[0]!);
        if (wait?.reason === 'settling') {
          if (reported.get(jobId) !== 'settling')
            options.emit({ event: 'waiting', jobId, reason: wait.reason, detail: wait.detail });
          reported.set(jobId, 'settling');
          continue;
        }
        dirty.delete(jobId);
        reported.delete(jobId);
        // Not submitted yet: its pipettes.yml arriving is a change of its own.
        if (wait) options.emit({ event: 'waiting', jobId, reason: wait.reason, detail: wait.detail });
        else due.push(jobId);
      }
      if (due.length) options.emit({ event: 'update', jobIds: due, updateId: await options.startUpdate(due) });
    } catch (error) {
      options.emit({ event: 'error', message: (error as Error).message });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), options.tickMs ?? 1000);
  return new Promise((resolve) => {
    const finish = () => {
      clearInterval(timer);
      watcher.close();
      options.emit({ event: 'stopped' });
      resolve();
    };
    if (stop.aborted) finish();
    else stop.addEventListener('abort', finish, { once: true });
  });
}

/** `slice` or `slice/site_N` for a file under a data root; undefined for anything else. */
export function jobIdOf(roots: string[], file: string): string | undefined {
  for (const root of roots) {
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel === '') continue;
    const parts = rel.split(path.sep);
    if (parts.some((part) => part.startsWith('.'))) return undefined;
    if (parts.length >= 2 && /^site_/.test(parts[1]!)) return `${parts[0]}/${parts[1]}`;
    return parts[0];
  }
  return undefined;
}
