import fs from 'node:fs';
import path from 'node:path';
import type { MpctlConfig } from '../config/config.js';
import type { Orm } from '../db/orm.js';
import { ConfigError } from '../errors/index.js';
import type { ModuleRegistry } from '../modules/registry.js';
import { loadReportData } from './data.js';
import { connectionPage as connectionFile, experimentPage as experimentFile } from './html.js';
import { connectionPage } from './pages/connection.js';
import { connectivityPage } from './pages/connectivity.js';
import { experimentsIndex, renderExperimentPage } from './pages/experiment.js';
import { pipelinePage } from './pages/pipeline.js';
import { STYLE } from './style.js';

export interface ReportOptions {
  out: string;
  experiments?: string[];
  progress?: (done: number, total: number, page: string) => void;
}

export interface ReportResult {
  out: string;
  index: string;
  url: string;
  pages: number;
  connections: number;
  experiments: number;
  bytes: number;
  durationMs: number;
}

/**
 * Writes the static report: Pipeline (index.html), Connectivity, one page per experiment and
 * per connection, one stylesheet; plots are SVG rendered now, so the folder opens from file://
 * with nothing to fetch. Written beside `out` and swapped in, so a failure leaves the old report.
 */
export async function buildReport(
  orm: Orm,
  registry: ModuleRegistry,
  config: MpctlConfig,
  o: ReportOptions,
): Promise<ReportResult> {
  const started = Date.now();
  const out = path.resolve(o.out);
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory())
    throw new ConfigError(`--out ${o.out}: is a file, not a folder`);
  if (fs.existsSync(out) && fs.readdirSync(out).length && !fs.existsSync(path.join(out, 'index.html')))
    throw new ConfigError(`--out ${o.out}: holds files that are not a report; choose a new folder`);
  const d = await loadReportData(orm, registry, config, o.experiments?.length ? o.experiments : null);
  const missing = (o.experiments ?? []).filter((e) => !d.experiments.includes(e));
  if (missing.length) throw new ConfigError(`--experiment: no experiment ${missing.join(', ')}`);
  const connected = d.pairs.filter((p) => p.connected);
  const total = 4 + d.experiments.length + connected.length;
  const tmp = `${out}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.join(tmp, 'experiments'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'connections'));
  let done = 0;
  let bytes = 0;
  const write = (file: string, text: string) => {
    fs.writeFileSync(path.join(tmp, file), text);
    bytes += Buffer.byteLength(text);
    o.progress?.(++done, total, file);
  };
  try {
    write('style.css', STYLE);
    write('index.html', await pipelinePage(d));
    write('connectivity.html', await connectivityPage(d));
    write('experiments.html', experimentsIndex(d));
    for (const e of d.experiments) write(experimentFile(e), renderExperimentPage(d, e));
    for (const p of connected) write(connectionFile(p.pairId), await connectionPage(p, await d.averages(p.pairId)));
    const old = `${out}.old-${process.pid}`;
    if (fs.existsSync(out)) fs.renameSync(out, old);
    fs.renameSync(tmp, out);
    fs.rmSync(old, { recursive: true, force: true });
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  const index = path.join(out, 'index.html');
  return {
    out,
    index,
    url: `file://${index}`,
    pages: done - 1,
    connections: connected.length,
    experiments: d.experiments.length,
    bytes,
    durationMs: Date.now() - started,
  };
}
