import type { UpdateProgress } from '../workflow-safe/workflow-types.js';

/** Renders update progress: a redrawn bar on a terminal, plain lines (only on change) otherwise. */
export class ProgressView {
  private lastLine = '';
  private lastPrinted = 0;
  private readonly started = Date.now();

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
  ) {}

  update(progress: UpdateProgress): void {
    const line = this.describe(progress);
    if (this.tty) {
      this.write(`\r\x1b[2K${line}`);
    } else if (line !== this.lastLine && Date.now() - this.lastPrinted > 1000) {
      this.write(`${line}\n`);
      this.lastPrinted = Date.now();
    }
    this.lastLine = line;
  }

  finish(progress: UpdateProgress): void {
    const line = this.describe(progress);
    this.write(this.tty ? `\r\x1b[2K${line}\n` : line !== this.lastLine ? `${line}\n` : '');
  }

  describe(p: UpdateProgress): string {
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
    return `${bar}${done}/${total} jobs${failed ? `, ${failed} failed` : ''} · experiments ${p.experiments.done}/${p.experiments.total} · ${modules} · ${rate.toFixed(1)} jobs/s${eta}`;
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}
