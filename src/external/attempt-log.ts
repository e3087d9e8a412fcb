/** Bytes of log kept from the start of an attempt; past it only the last lines are kept. */
const HEAD_BYTES = 4 << 20;
const TAIL_LINES = 2_000;

/**
 * The log of one attempt (stdout lines that are not rows or progress, and all of stderr), bounded:
 * the first 4 MiB and the last 2,000 lines, so a chatty program cannot fill the database.
 */
export class AttemptLog {
  private head: string[] = [];
  private headBytes = 0;
  private tail: string[] = [];
  private dropped = 0;
  private readonly stderrTail: string[] = [];

  add(stream: 'stdout' | 'stderr', line: string): void {
    const entry = stream === 'stderr' ? `[stderr] ${line}` : line;
    if (stream === 'stderr') {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    }
    if (this.headBytes + entry.length < HEAD_BYTES && this.tail.length === 0) {
      this.head.push(entry);
      this.headBytes += entry.length + 1;
      return;
    }
    this.tail.push(entry);
    if (this.tail.length > TAIL_LINES) {
      this.tail.shift();
      this.dropped++;
    }
  }

  /** The last stderr lines: what a failure message shows. */
  lastStderr(lines = 10): string {
    return this.stderrTail.slice(-lines).join('\n').trim();
  }

  text(): string {
    const gap = this.dropped > 0 ? [`[mpctl: ${this.dropped} lines left out]`] : [];
    return [...this.head, ...gap, ...this.tail].join('\n');
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }
}
