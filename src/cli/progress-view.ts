import { createLogUpdate } from 'log-update';
import type { UpdateProgress } from '../workflow-safe/workflow-types.js';

/**
 * Renders update progress: on a terminal, a block redrawn in place by log-update (which wraps
 * to the terminal's width and erases every row it drew, so nothing stale is left on an
 * 80-column screen); elsewhere plain lines, only on change.
 */
export class ProgressView {
  private lastLine = '';
  private lastPrinted = 0;
  private readonly started = Date.now();
  private readonly live?: ReturnType<typeof createLogUpdate>;

  /** `stream` undefined: print nothing (under --json). */
  constructor(private readonly stream: NodeJS.WriteStream | undefined) {
    if (stream?.isTTY) this.live = createLogUpdate(stream, { showCursor: true });
  }

  private get tty(): boolean {
    return this.live !== undefined;
  }

  update(progress: UpdateProgress): void {
    const line = this.describe(progress);
    if (this.live) this.live(this.block(progress));
    else if (line !== this.lastLine && Date.now() - this.lastPrinted > 1000) {
      this.stream?.write(`${line}\n`);
      this.lastPrinted = Date.now();
    }
    this.lastLine = line;
  }

  finish(progress: UpdateProgress): void {
    const line = this.describe(progress);
    if (this.live) {
      this.live(this.block(progress));
      this.live.done();
    } else if (line !== this.lastLine) this.stream?.write(`${line}\n`);
  }

  /** The terminal block: the bar and totals, then one row per module. */
  block(p: UpdateProgress): string {
    if (p.phase === 'waiting' || p.phase === 'planning') return this.describe(p);
    const modules = Object.entries(p.modules).map(
      ([name, m]) =>
        `  ${name} ${m.succeeded + m.failed + m.skipped}/${m.planned}${m.failed ? ` (${m.failed} failed)` : ''}`,
    );
    return [this.describe(p, false), ...modules].join('\n');
  }

  describe(p: UpdateProgress, withModules = true): string {
    if (p.phase === 'waiting') return 'waiting for another update to finish…';
    if (p.phase === 'planning') return 'planning…';
    const total = Object.values(p.modules).reduce((n, m) => n + m.planned, 0);
    const done = Object.values(p.modules).reduce((n, m) => n + m.succeeded + m.failed + m.skipped, 0);
    const failed = Object.values(p.modules).reduce((n, m) => n + m.failed, 0);
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = done / Math.max(elapsed, 0.001);
    const eta = rate > 0 && done < total ? ` · ETA ${formatSeconds((total - done) / rate)}` : '';
    const width = 24;
    const filled = total ? Math.round((done / total) * width) : width;
    const bar = this.tty ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    const modules = Object.entries(p.modules)
      .map(
        ([name, m]) =>
          `${name} ${m.succeeded + m.failed + m.skipped}/${m.planned}${m.failed ? ` (${m.failed} failed)` : ''}`,
      )
      .join(' · ');
    return `${bar}${done}/${total} jobs${failed ? `, ${failed} failed` : ''} · experiments ${p.experiments.done}/${p.experiments.total}${withModules ? ` · ${modules}` : ''} · ${rate.toFixed(1)} jobs/s${eta}`;
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}
