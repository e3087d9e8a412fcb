// `npm run bench [-- --quick] [--only=a,b] [--temporal=cluster|cluster-split]`: every benchmark measures mpctl and its baseline in the same run,
// prints a Markdown table of figures and ratios, and writes bench/results.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_ENV, startTestServers, temporalKind } from '../test/helpers/servers.js';
import { benchOrchestration } from './orchestration.js';
import { benchNwbImport } from './nwb-import.js';
import { benchPlanning } from './planning.js';
import { benchResultWrites } from './result-writes.js';
import { benchScaling } from './scaling.js';
import { benchConnectionStrength } from './connection-strength.js';
import { benchReportExport } from './report-export.js';
import { benchAcquisitionLatency } from './acquisition-latency.js';
import { benchScale } from './scale.js';
import { orchestrationShareRow } from './support/orchestration-share.js';
import { benchModuleReferences } from './module-references.js';
import { benchSingleSite } from './single-site.js';
import { markdownTable, notesList, writeResults, type BenchRow } from './support/report.js';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
// The production Temporal server on the bench's PostgreSQL instead of the dev server (its results apart).
const temporal = temporalKind(process.argv.find((a) => a.startsWith('--temporal='))?.slice('--temporal='.length));
const resultsFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  `../../bench/results${temporal === 'dev' ? '' : `.${temporal}`}.json`,
);

const benches: Record<string, (quick: boolean) => Promise<{ rows: BenchRow[]; details: Record<string, unknown> }>> = {
  orchestration: benchOrchestration,
  planning: benchPlanning,
  'nwb-import': benchNwbImport,
  'result-writes': benchResultWrites,
  scaling: benchScaling,
  'connection-strength': benchConnectionStrength,
  'report-export': benchReportExport,
  'acquisition-latency': benchAcquisitionLatency,
  'module-references': benchModuleReferences,
  'single-site': benchSingleSite,
};
// Archive-sized, for the production server; run by name only (`--only=scale`), never by default.
const byNameOnly: typeof benches = { scale: benchScale };

// Durable PostgreSQL (fsync on) like a real stack; Temporal's dev server with its WAL SQLite file,
// or the production server whose persistence and visibility are that PostgreSQL.
const servers = await startTestServers(() => {}, { durable: true, temporal });
console.error(`Temporal: ${temporal} at ${servers.temporalAddress}`);
process.env[SERVER_ENV.postgres] = servers.postgresUrl;
process.env[SERVER_ENV.temporal] = servers.temporalAddress;
const rows: BenchRow[] = [];
const details: Record<string, unknown> = {};
try {
  for (const [name, bench] of Object.entries({ ...benches, ...byNameOnly })) {
    if (only ? !only.includes(name) : name in byNameOnly) continue;
    // The benches write their sample data just before they run it: no settle time, as in the tests
    // (the acquisition bench sets its own, and must not leave it to the next).
    process.env.MPCTL_SETTLE_SECONDS = '0';
    const t0 = performance.now();
    console.error(`running ${name}${quick ? ' (quick)' : ''}…`);
    const result = await bench(quick);
    rows.push(...result.rows);
    details[name] = { ...result.details, wallSeconds: (performance.now() - t0) / 1000 };
  }
} finally {
  await servers.stop();
}
const share = orchestrationShareRow(details);
if (share) rows.push(share);
writeResults(resultsFile, quick, rows, details);
console.log(markdownTable(rows));
console.log(`\nnotes:\n${notesList(rows)}`);
console.log(`load average at the end: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
console.log(`\nwritten to ${path.relative(process.cwd(), resultsFile)}`);
process.exit(0);
