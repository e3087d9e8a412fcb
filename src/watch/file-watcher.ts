import fs from 'node:fs';
import path from 'node:path';

/**
 * A recursive watcher over the data roots, behind a small interface so the implementation can be
 * swapped (a maintained library such as chokidar, once it is a dependency) without touching the loop.
 */
export interface FileWatcher {
  close(): void;
}

export type OnChange = (file: string) => void;
export type OnError = (error: Error) => void;

export class WatchLimitError extends Error {
  constructor(root: string) {
    super(
      `out of inotify watches while watching ${root}. Raise the limit: sudo sysctl fs.inotify.max_user_watches=524288 ` +
        `(keep it with a line fs.inotify.max_user_watches=524288 in /etc/sysctl.d/40-mpctl.conf), or use --poll 10s`,
    );
    this.name = 'WatchLimitError';
  }
}

const isWatchLimit = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOSPC';

/** inotify through Node's recursive fs.watch: sees writes made on this machine only. */
export function watchNative(roots: string[], onChange: OnChange, onError: OnError): FileWatcher {
  const watchers: fs.FSWatcher[] = [];
  const close = () => watchers.forEach((w) => w.close());
  try {
    for (const root of roots) {
      const watcher = fs.watch(root, { recursive: true, persistent: true }, (_event, name) => {
        if (name) onChange(path.join(root, name.toString()));
      });
      watcher.on('error', (error) => onError(isWatchLimit(error) ? new WatchLimitError(root) : error));
      watchers.push(watcher);
    }
  } catch (error) {
    close();
    throw isWatchLimit(error) ? new WatchLimitError(roots.join(', ')) : error;
  }
  return { close };
}

/** Deep enough for root/slice/site/file; bounds the walk on a misplaced tree. */
const MAX_DEPTH = 4;

/**
 * Polls file sizes and times every `intervalMs`: for network file systems, where inotify never
 * hears about writes made by another machine.
 */
export function watchPolling(roots: string[], intervalMs: number, onChange: OnChange, onError: OnError): FileWatcher {
  let previous = snapshot(roots);
  const timer = setInterval(() => {
    try {
      const next = snapshot(roots);
      for (const [file, stamp] of next) if (previous.get(file) !== stamp) onChange(file);
      for (const file of previous.keys()) if (!next.has(file)) onChange(file);
      previous = next;
    } catch (error) {
      onError(error as Error);
    }
  }, intervalMs);
  return { close: () => clearInterval(timer) };
}

function snapshot(roots: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) walk(file, depth + 1);
        continue;
      }
      try {
        const stat = fs.statSync(file);
        out.set(file, `${stat.size}:${stat.mtimeMs}`);
      } catch {
        // Removed between the listing and the stat: the next round sees it gone.
      }
    }
  };
  for (const root of roots) walk(root, 0);
  return out;
}
