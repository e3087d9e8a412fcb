/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { query, sql } from '../../src/db/sql.js';
import { experimentPage } from '../../src/report/html.js';
import { mpctl } from '../helpers/cli.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { sampleRootWithNwb } from '../helpers/sample.js';
import { STATUS_COLOURS } from '../../src/report/style.js';

const CHROMIUM = '/usr/bin/chromium';
// Screenshots are kept as test artefacts (gitignored).
const ARTEFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-artefacts/report');
const UI = 'http://127.0.0.1:8233';

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

describe('mpctl report in a real browser (Debian chromium, playwright-core)', () => {
  let p: TestPipeline;
  let browser: Browser;
  let experiments: string[];
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mpctl-report-'));
  const out = path.join(cwd, 'report');
  let failed: string;

  before(async () => {
    // Voltage-clamp sweeps too, so the experiment pages have their own voltage-clamp tables.
    const data = await sampleRootWithNwb({
      slices: 1,
      sitesPerSlice: 3,
      cells: 4,
      seed: 5,
      voltageClampSweepsPerCell: 2,
    });
    experiments = data.experiments;
    failed = experiments[2]!;
    const [slice, site] = failed.split('/');
    fs.writeFileSync(path.join(data.root, slice!, site!, 'ignore.txt'), 'bad seal on every cell\n');
    p = await startTestPipeline([data.root]);
    await p.update();
    const r = await mpctl(
      cwd,
      ['report', '--out', 'report', '--json', '--database-url', p.db.url, '--data-root', data.root],
      { MPCTL_UI_URL: UI },
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(r.json().url, `file://${out}/index.html`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    fs.mkdirSync(ARTEFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await p?.close();
  });

  /** Loads a page, failing on any console error or any request that leaves file://. */
  async function open(file: string) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => !r.url().startsWith('file://') && outside.push(r.url()));
    await page.goto(`file://${path.join(out, file)}`);
    await page.waitForLoadState('load');
    return { page, errors, outside };
  }

  it('every page loads with no console error, no request off file://, and drawn marks in every plot', async () => {
    const files = fs
      .readdirSync(out, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.html'));
    assert.ok(
      files.some((f) => f.startsWith('connections/')),
      'at least one connection page',
    );
    assert.ok(files.length >= 4 + experiments.length);
    for (const file of files) {
      const { page, errors, outside } = await open(file);
      assert.deepEqual(errors, [], file);
      assert.deepEqual(outside, [], file);
      const charts = await page.locator('figure.chart svg').count();
      const marks = await page.evaluate(() =>
        [...document.querySelectorAll('figure.chart svg')].map(
          (svg) =>
            svg.querySelectorAll(
              'g.mark-line path, g.mark-rect path, g.mark-symbol path, g.mark-rule line, g.mark-text text',
            ).length,
        ),
      );
      assert.equal(marks.length, charts);
      assert.ok(
        marks.every((n) => n > 0),
        `${file}: a plot without marks ${marks}`,
      );
      if (file === 'index.html' || file === 'connectivity.html' || file.startsWith('connections/'))
        await page.screenshot({ path: path.join(ARTEFACTS, `${file.replace(/[/]/g, '_')}.png`), fullPage: true });
      if (file.startsWith('connections/')) assert.ok(charts >= 1, `${file} shows the averaged train`);
      await page.close();
    }
  });

  it('the connectivity page plots distance bins with their intervals and the fitted p(d) curve', async () => {
    const { page } = await open('connectivity.html');
    const fig = await page.evaluate(() => {
      const f = [...document.querySelectorAll('figure')].find((x) => /intersomatic distance/.test(x.textContent ?? ''));
      return (
        f && {
          caption: f.querySelector('figcaption')?.textContent ?? '',
          // role-mark: the plot's own marks, not the axes' ticks and grid lines.
          points: f.querySelectorAll('g.mark-symbol.role-mark path').length,
          intervals: f.querySelectorAll('g.mark-rule.role-mark line').length,
          curves: f.querySelectorAll('g.mark-line.role-mark path').length,
        }
      );
    });
    assert.ok(fig, 'a distance figure');
    assert.ok(fig.points > 0, 'one point per distance bin');
    assert.equal(fig.intervals, fig.points, 'each bin has its interval');
    assert.match(fig.caption, /maximum-likelihood fit p\(d\) = pmax·exp\(−d²\/2σ²\): pmax 0\.\d+/);
    assert.equal(fig.curves, 1, 'the fitted curve is drawn');
    await page.close();
  });

  it('an experiment page lists its voltage-clamp pairs apart, in pA, with the values of connection_strength_vc', async () => {
    const experiment = experiments[0]!;
    const expected = await query<{
      pre: string;
      post: string;
      fit_amplitude: number | null;
      holding_potential: number;
    }>(
      p.db.orm.em.fork(),
      sql`SELECT pre.ext_id AS pre, post.ext_id AS post, vc.fit_amplitude, vc.holding_potential
        FROM connection_strength_vc vc JOIN pair p ON p.id = vc.pair_id
        JOIN cell pre ON pre.id = p.pre_cell_id JOIN cell post ON post.id = p.post_cell_id
        WHERE vc.n_samples > 0 AND vc.experiment_id = ${experiment} ORDER BY pre.ext_id, post.ext_id`,
    );
    assert.ok(expected.length > 0, 'the sample has voltage-clamp pairs');
    const { page } = await open(experimentPage(experiment));
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll('table.voltage-clamp tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      ),
    );
    assert.deepEqual(
      rows.map((r) => r[0]),
      expected.map((e) => `${e.pre} → ${e.post}`),
    );
    for (const [i, e] of expected.entries()) {
      if (e.fit_amplitude !== null) assert.equal(Number(rows[i]![5]), Number((e.fit_amplitude * 1e12).toFixed(1)));
      assert.equal(rows[i]![7], (e.holding_potential * 1e3).toFixed(0), 'holding potential in mV');
    }
    await page.close();
  });

  it('the grid has exactly one cell per (experiment, module) in its status colour; a failed cell links to its workflow', async () => {
    const { page } = await open('index.html');
    const cells = await page.evaluate(() =>
      [...document.querySelectorAll('td.status')].map((td) => ({
        experiment: td.getAttribute('data-experiment')!,
        module: td.getAttribute('data-module')!,
        status: td.getAttribute('data-status')! as keyof typeof STATUS_COLOURS,
        colour: getComputedStyle(td).backgroundColor,
        href: td.querySelector('a')?.getAttribute('href') ?? null,
        title: td.querySelector('[title]')?.getAttribute('title') ?? '',
      })),
    );
    const keys = cells.map((c) => `${c.experiment}|${c.module}`);
    assert.equal(new Set(keys).size, keys.length, 'no cell twice');
    assert.equal(cells.length, experiments.length * p.registry.names.length);
    for (const c of cells) assert.equal(c.colour, rgb(STATUS_COLOURS[c.status]), `${c.experiment} ${c.module}`);
    const bad = cells.find((c) => c.experiment === failed && c.module === 'experiment')!;
    assert.equal(bad.status, 'failed');
    assert.match(bad.title, /bad seal on every cell/);
    assert.ok(
      bad.href?.startsWith(`${UI}/namespaces/`) && bad.href.includes(encodeURIComponent(`experiment/${failed}`)),
      bad.href ?? 'no link',
    );
    const good = cells.filter((c) => c.experiment !== failed);
    assert.ok(
      good.every((c) => c.status === 'succeeded'),
      'the other experiments succeeded',
    );
    await page.close();
  });
});
