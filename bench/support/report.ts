import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchRow {
  benchmark: string;
  metric: string;
  mpctl: number;
  baseline?: number;
  baselineName?: string;
  /** mpctl relative to the baseline, oriented so that higher is better for mpctl. */
  ratio?: number;
  goal?: string;
  met?: boolean;
  unit: string;
  note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (n: number | undefined) =>
  n === undefined ? '—' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

export function markdownTable(rows: BenchRow[]): string {
  const lines = ['| benchmark | metric | mpctl | baseline | ratio | goal | met |', '|---|---|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const baseline =
      r.baseline === undefined ? '—' : `${fmt(r.baseline)} ${r.unit}${r.baselineName ? ` (${r.baselineName})` : ''}`;
    lines.push(
      `| ${r.benchmark} | ${r.metric} | ${fmt(r.mpctl)} ${r.unit} | ${baseline} | ${fmt(r.ratio)} | ${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'no'} |`,
    );
  }
  return lines.join('\n');
}

/** Each row's note (what bounds or explains a figure), listed under the table. */
export function notesList(rows: BenchRow[]): string {
  return rows
    .filter((r) => r.note)
    .map((r) => `- ${r.benchmark}, ${r.metric}: ${r.note}`)
    .join('\n');
}

export function writeResults(file: string, quick: boolean, rows: BenchRow[], details: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        runAt: new Date().toISOString(),
        quick,
        machine: {
          cpus: os.cpus().length,
          memoryGiB: Math.round(os.totalmem() / 2 ** 30),
          node: process.version,
          platform: `${os.platform()} ${os.arch()}`,
        },
        rows,
        details,
      },
      null,
      2,
    ) + '\n',
  );
}
