// New-data latency while acquiring: from a site's last file write to its connection_strength
// result, with `mpctl watch` (its loop, in process) and with a 1-minute Temporal Schedule, side by side.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MpctlConfig } from '../src/config/config.js';
import { query, sql } from '../src/db/sql.js';
import { backdate } from '../src/sample-data/backdate.js';
import { createSchedule, deleteSchedule } from '../src/temporal/schedules.js';
import { sleep } from '../src/util/wait.js';
import { watchNative } from '../src/watch/file-watcher.js';
import { runWatchLoop } from '../src/watch/watch-loop.js';
import { experimentWorkflowId, updateWorkflowId } from '../src/workflow-safe/job-ids.js';
import { WorkflowNames } from '../src/workflow-safe/workflow-types.js';
import { startTestPipeline, type TestPipeline } from '../test/helpers/pipeline.js';
import { sampleRootWithNwb } from '../test/helpers/sample.js';
import { median, type BenchRow } from './support/report.js';

const SETTLE_S = 5;
const DEBOUNCE_MS = 1000;

/** One site's latency, split where the time went. */
interface Split {
  totalS: number;
  /** Last write until the files are settle-time old: the rule, not a cost. */
  settleS: number;
  /** Settled until the update that planned the site started (watch tick or schedule interval). */
  waitS: number;
  /** Update start until the site's experiment workflow started: lock, planning, slice jobs. */
  planningS: number;
  /** Experiment workflow start until its connection_strength result. */
  processingS: number;
}

export async function benchAcquisitionLatency(
  quick: boolean,
  options: { sites?: number; scheduleEvery?: string } = {},
): Promise<{ rows: BenchRow[]; details: Record<string, unknown> }> {
  const perMode = options.sites ?? (quick ? 1 : 2);
  const scheduleEvery = options.scheduleEvery ?? '1m';
  process.env.MPCTL_SETTLE_SECONDS = String(SETTLE_S);
  const data = await sampleRootWithNwb({ slices: 1, sitesPerSlice: 2 * perMode, cells: 4, seed: 31, sweepsPerCell: 3 });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-bench-rig-'));
  const root = data.root;
  for (const site of data.experiments) fs.renameSync(path.join(root, site), path.join(staging, path.basename(site)));
  backdate(root, 3_600_000);
  const p = await startTestPipeline([root]);
  const watchSites = data.experiments.slice(0, perMode);
  const scheduleSites = data.experiments.slice(perMode);
  const watch: Split[] = [];
  const schedule: Split[] = [];
  try {
    // The slice first, so every measured site pays the same (its own) work only.
    await p.update();
    const stop = new AbortController();
    const loop = runWatchLoop(
      {
        roots: [root],
        debounceMs: DEBOUNCE_MS,
        settle: { seconds: SETTLE_S },
        watch: (onChange, onError) => watchNative([root], onChange, onError),
        startUpdate: async () => {
          const updateId = `bench-watch-${crypto.randomBytes(3).toString('hex')}`;
          await p.client.workflow.start(WorkflowNames.pipelineUpdate, {
            taskQueue: p.taskQueue,
            workflowId: updateWorkflowId(updateId),
            args: [{ updateId, modules: p.registry.names, parallel: 4 }],
          });
          return updateId;
        },
        emit: () => undefined,
      },
      stop.signal,
    );
    for (const site of watchSites) watch.push(await measure(p, root, staging, site));
    stop.abort();
    await loop;

    const id = `bench-${crypto.randomBytes(3).toString('hex')}`;
    await createSchedule(p.client, { taskQueue: p.taskQueue } as MpctlConfig, {
      id,
      every: scheduleEvery,
      overlap: 'skip',
      catchupWindow: '1m',
      update: { selection: ['all'], parallel: 4 },
    });
    try {
      for (const site of scheduleSites) schedule.push(await measure(p, root, staging, site));
    } finally {
      await deleteSchedule(p.client, id);
    }
  } finally {
    await p.close();
  }
  const med = (list: Split[], key: keyof Split) => median(list.map((s) => s[key]));
  const goalS = SETTLE_S + 10 + med(watch, 'processingS');
  const rows: BenchRow[] = [
    {
      benchmark: 'acquisition-latency',
      metric: 'last write → connection_strength',
      mpctl: med(watch, 'totalS'),
      baseline: med(schedule, 'totalS'),
      baselineName: `${scheduleEvery} schedule`,
      ratio: med(schedule, 'totalS') / med(watch, 'totalS'),
      goal: `watch ≤ settle + 10 s + processing = ${goalS.toFixed(1)} s`,
      met: med(watch, 'totalS') <= goalS,
      unit: 's',
      note: `watch (debounce ${DEBOUNCE_MS} ms) vs a ${scheduleEvery} schedule, settle ${SETTLE_S} s, medians of ${perMode} site(s) each, 4 cells × 3 sweeps per site`,
    },
  ];
  const splits = (list: Split[]) =>
    Object.fromEntries(
      (['totalS', 'settleS', 'waitS', 'planningS', 'processingS'] as const).map((k) => [
        k,
        Number(med(list, k).toFixed(2)),
      ]),
    );
  return {
    rows,
    details: { settleSeconds: SETTLE_S, watch: splits(watch), schedule: splits(schedule), rounds: { watch, schedule } },
  };
}

/** Copies one site in (NWB, site.yml, then pipettes.yml as the submission) and waits for its result. */
async function measure(p: TestPipeline, root: string, staging: string, site: string): Promise<Split> {
  const to = path.join(root, site);
  fs.mkdirSync(to);
  for (const name of ['recording.nwb', 'site.yml', 'pipettes.yml']) {
    fs.copyFileSync(path.join(staging, path.basename(site), name), path.join(to, name));
    await sleep(300);
  }
  const lastWrite = fs.statSync(path.join(to, 'pipettes.yml')).mtimeMs;
  let row: { finished_at: string; update_id: string } | undefined;
  for (let waited = 0; waited < 180_000 && !row; waited += 200) {
    row = (
      await query<{ finished_at: string; update_id: string }>(
        p.db.orm.em.fork(),
        sql`SELECT finished_at, update_id FROM pipeline_job WHERE module = 'connection_strength' AND job_id = ${site} AND status = 'succeeded'`,
      )
    )[0];
    if (!row) await sleep(200);
  }
  if (!row) throw new Error(`${site}: no connection_strength result within 3 minutes`);
  const finished = Date.parse(row.finished_at);
  const update = await p.client.workflow.getHandle(updateWorkflowId(row.update_id)).describe();
  const experiment = await p.client.workflow.getHandle(experimentWorkflowId(site)).describe();
  const settled = lastWrite + SETTLE_S * 1000;
  return {
    totalS: (finished - lastWrite) / 1000,
    settleS: SETTLE_S,
    waitS: (update.startTime.getTime() - settled) / 1000,
    planningS: (experiment.startTime.getTime() - update.startTime.getTime()) / 1000,
    processingS: (finished - experiment.startTime.getTime()) / 1000,
  };
}
