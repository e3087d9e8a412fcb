import chokidar, { type ChokidarOptions } from 'chokidar';

/** A recursive watcher over the data roots (chokidar, on inotify or by polling). */
export interface FileWatcher {
  /** Resolves once the initial scan is done: from then on every change is seen. */
  ready?: Promise<void>;
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

/** Deep enough for root/slice/site/file; bounds the walk on a misplaced tree. */
const MAX_DEPTH = 4;

function watch(roots: string[], options: ChokidarOptions, onChange: OnChange, onError: OnError): FileWatcher {
  const watcher = chokidar.watch(roots, { ignoreInitial: true, persistent: true, depth: MAX_DEPTH, ...options });
  watcher.on('all', (_event, file) => onChange(file));
  watcher.on('error', (error) => {
    const root = roots.find((r) => (error as NodeJS.ErrnoException).path?.startsWith(r)) ?? roots.join(', ');
    onError(isWatchLimit(error) ? new WatchLimitError(root) : (error as Error));
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { ready, close: () => void watcher.close() };
}

/** inotify: sees writes made on this machine only. */
export function watchNative(roots: string[], onChange: OnChange, onError: OnError): FileWatcher {
  return watch(roots, {}, onChange, onError);
}

/**
 * Polls sizes and times every `intervalMs`: for network file systems, where inotify never hears
 * about writes made by another machine.
 */
export function watchPolling(roots: string[], intervalMs: number, onChange: OnChange, onError: OnError): FileWatcher {
  return watch(roots, { usePolling: true, interval: intervalMs, binaryInterval: intervalMs }, onChange, onError);
}
