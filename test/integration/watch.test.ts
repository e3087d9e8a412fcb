import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { query, sql } from '../../src/db/sql.js';
import { backdate } from '../../src/sample-data/backdate.js';
import { sleep } from '../../src/util/wait.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRootWithNwb } from '../helpers/sample.js';
import { TEST_NAMESPACE, testServers } from '../helpers/servers.js';

const SETTLE_S = 2;
const DEBOUNCE_S = 1;
process.env.MPCTL_SETTLE_SECONDS = String(SETTLE_S);
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js');

describe('mpctl watch on the real stack', () => {
  let p: TestPipeline;
  let root: string;
  let staging: string;
  let site: string;
  before(async () => {
    const data = await sampleRootWithNwb({ slices: 1, sitesPerSlice: 1, cells: 3, seed: 21, sweepsPerCell: 2 });
    root = data.root;
    site = data.experiments[0]!;
    staging = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-rig-'));
    fs.renameSync(path.join(root, site), path.join(staging, 'site'));
    backdate(root, 3_600_000);
    p = await startTestPipeline([root]);
  });
  after(async () => p?.close());

  it('(d) starts an update within debounce + settle of the last write; Ctrl-C stops it cleanly', async () => {
    const servers = await testServers();
    const child = spawn(process.execPath, [bin, 'watch', '--json', '--debounce', `${DEBOUNCE_S}s`], {
      cwd: os.tmpdir(),
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: servers.temporalAddress,
        TEMPORAL_NAMESPACE: TEST_NAMESPACE,
        MPCTL_TASK_QUEUE: p.taskQueue,
        MPCTL_DATABASE_URL: p.db.url,
        MPCTL_DATA_ROOTS: root,
        MPCTL_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-home-')),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const events: { event: string; at: string; updateId?: string; jobIds?: string[] }[] = [];
    readline.createInterface({ input: child.stdout }).on('line', (line) => events.push(JSON.parse(line)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let waited = 0; waited < 30_000 && !events.some((e) => e.event === 'watching'); waited += 100)
        await sleep(100);
      assert.ok(
        events.some((e) => e.event === 'watching'),
        `no watching event: ${stderr}`,
      );
      // The site arrives in pieces: NWB, then site.yml, then pipettes.yml.
      const to = path.join(root, site);
      fs.mkdirSync(to);
      for (const name of ['recording.nwb', 'site.yml', 'pipettes.yml']) {
        fs.copyFileSync(path.join(staging, 'site', name), path.join(to, name));
        await sleep(500);
      }
      const lastWrite = fs.statSync(path.join(to, 'pipettes.yml')).mtimeMs;
      let update: (typeof events)[number] | undefined;
      for (let waited = 0; waited < 30_000 && !update; waited += 100) {
        update = events.find((e) => e.event === 'update');
        await sleep(100);
      }
      assert.ok(update, `no update started: ${JSON.stringify(events)}\n${stderr}`);
      const delayS = (Date.parse(update.at) - lastWrite) / 1000;
      console.log(
        `watch: last write → update started ${delayS.toFixed(1)} s (debounce ${DEBOUNCE_S} s, settle ${SETTLE_S} s)`,
      );
      assert.ok(delayS <= DEBOUNCE_S + SETTLE_S + 1.5, `update started ${delayS} s after the last write`);
      assert.deepEqual(update.jobIds, [site]);
      let finished: { finished_at: string } | undefined;
      for (let waited = 0; waited < 90_000 && !finished; waited += 250) {
        finished = (
          await query<{ finished_at: string }>(
            p.db.orm.em.fork(),
            sql`SELECT finished_at FROM pipeline_job WHERE module = 'connection_strength' AND job_id = ${site} AND status = 'succeeded'`,
          )
        )[0];
        await sleep(250);
      }
      assert.ok(finished, 'the site was processed');
      console.log(
        `watch: last write → connection_strength ${((Date.parse(finished.finished_at) - lastWrite) / 1000).toFixed(1)} s`,
      );
      const failed = await query(
        p.db.orm.em.fork(),
        sql`SELECT module, job_id FROM pipeline_job WHERE status = 'failed'`,
      );
      assert.deepEqual(failed, []);
    } finally {
      child.kill('SIGINT');
      const code = await exited;
      clearTimeout(killer);
      assert.equal(code, 0, stderr);
      assert.equal(events.at(-1)?.event, 'stopped', `events ${JSON.stringify(events)}; stderr: ${stderr}`);
    }
  });
});
