import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from '../charts.js';
import type { PairRow, ReportData } from '../data.js';
import { esc, experimentPage, figure, fmt, page, table } from '../html.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Wilson score interval for k of n (95 %). */
export function wilson(k: number, n: number, z = 1.959964): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

interface Cell {
  pre: string;
  post: string;
  probed: number;
  connected: number;
  probability: number;
  ciLow: number;
  ciHigh: number;
}

function byClass(pairs: PairRow[]): Cell[] {
  const m = new Map<string, { pre: string; post: string; probed: number; connected: number }>();
  for (const p of pairs)
    for (const pre of (p.preClass ?? '').split(',').filter(Boolean))
      for (const post of (p.postClass ?? '').split(',').filter(Boolean)) {
        const key = `${pre}\u0000${post}`;
        const c = m.get(key) ?? { pre, post, probed: 0, connected: 0 };
        c.probed++;
        if (p.connected) c.connected++;
        m.set(key, c);
      }
  return [...m.values()].map((c) => {
    const [ciLow, ciHigh] = wilson(c.connected, c.probed);
    return { ...c, probability: c.connected / c.probed, ciLow, ciHigh };
  });
}

const matrixSpec = (cells: Cell[]): TopLevelSpec => ({
  $schema: SCHEMA,
  data: { values: cells.map((c) => ({ ...c, label: `${c.connected}/${c.probed}` })) },
  width: { step: 48 },
  height: { step: 32 },
  encoding: {
    x: { field: 'post', type: 'nominal', title: 'postsynaptic class' },
    y: { field: 'pre', type: 'nominal', title: 'presynaptic class' },
  },
  layer: [
    {
      mark: 'rect',
      encoding: {
        color: { field: 'probability', type: 'quantitative', scale: { domain: [0, 1], scheme: 'blues' } },
      },
    },
    { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'label' } } },
  ],
});

const rows = (pairs: PairRow[]) =>
  pairs.map((p) => ({
    experiment: p.experiment,
    connected: p.connected ? 1 : 0,
    distance: p.distanceUm,
    amplitude: p.amplitude === null ? null : p.amplitude * 1e3,
    latency: p.latency === null ? null : p.latency * 1e3,
  }));

const distanceSpec = (pairs: PairRow[]): TopLevelSpec => ({
  $schema: SCHEMA,
  data: { values: rows(pairs).filter((r) => r.distance !== null) },
  width: 360,
  height: 200,
  mark: 'bar',
  encoding: {
    x: { field: 'distance', bin: { step: 25 }, type: 'quantitative', title: 'intersomatic distance (µm)' },
    y: { aggregate: 'mean', field: 'connected', type: 'quantitative', title: 'connection probability' },
  },
});

const histogramSpec = (pairs: PairRow[], field: 'amplitude' | 'latency', title: string): TopLevelSpec => ({
  $schema: SCHEMA,
  data: { values: rows(pairs.filter((p) => p.connected)).filter((r) => r[field] !== null) },
  width: 300,
  height: 200,
  mark: 'bar',
  encoding: {
    x: { field, bin: { maxbins: 30 }, type: 'quantitative', title },
    y: { aggregate: 'count', type: 'quantitative', title: 'connections' },
  },
});

const perExperimentSpec = (per: { experiment: string; probability: number }[]): TopLevelSpec => ({
  $schema: SCHEMA,
  data: { values: per },
  width: Math.min(900, Math.max(300, per.length * 12)),
  height: 180,
  mark: 'bar',
  encoding: {
    x: { field: 'experiment', type: 'nominal', sort: null, axis: per.length > 30 ? { labels: false } : {} },
    y: { field: 'probability', type: 'quantitative', title: 'connected / tested' },
  },
});

export async function connectivityPage(d: ReportData): Promise<string> {
  const parts: string[] = [];
  if (d.hasClasses) {
    const cells = byClass(d.pairs);
    parts.push('<h2>By cell class</h2>');
    if (cells.length)
      parts.push(figure(await renderChart(matrixSpec(cells)), 'Connection probability (connected/probed) by class.'));
    parts.push(
      table(
        ['pre', 'post', 'probed', 'connected', 'probability', '95 % CI (Wilson)'],
        cells.map((c) => [
          esc(c.pre),
          esc(c.post),
          String(c.probed),
          String(c.connected),
          fmt(c.probability),
          `${fmt(c.ciLow)}–${fmt(c.ciHigh)}`,
        ]),
        'class="matrix"',
      ),
    );
  }
  const per = d.experiments.map((e) => {
    const ps = d.pairs.filter((p) => p.experiment === e);
    const k = ps.filter((p) => p.connected).length;
    return { experiment: e, tested: ps.length, connected: k, probability: ps.length ? k / ps.length : 0 };
  });
  parts.push('<h2>Distance and strength</h2>');
  const charts: [TopLevelSpec, string][] = [
    [distanceSpec(d.pairs), 'Connection probability by intersomatic distance (25 µm bins).'],
    [histogramSpec(d.pairs, 'amplitude', 'fitted amplitude (mV)'), 'Amplitude of connections.'],
    [histogramSpec(d.pairs, 'latency', 'fitted latency (ms)'), 'Latency of connections.'],
  ];
  for (const [spec, caption] of charts) parts.push(figure(await renderChart(spec), caption));
  parts.push('<h2>Per experiment</h2>');
  if (per.length)
    parts.push(figure(await renderChart(perExperimentSpec(per)), 'Connected / tested pairs per experiment.'));
  parts.push(
    table(
      ['experiment', 'tested pairs', 'connected', 'probability'],
      per.map((r) => [
        `<a href="${esc(experimentPage(r.experiment))}">${esc(r.experiment)}</a>`,
        String(r.tested),
        String(r.connected),
        fmt(r.probability),
      ]),
    ),
  );
  const total = d.pairs.filter((p) => p.connected).length;
  return page(
    'Connectivity',
    '',
    `<p>${d.pairs.length} tested pairs, ${total} connected (detection score ≥ 4).${
      d.hasClasses ? '' : ' No cell classes yet: connectivity is shown per experiment.'
    }</p>\n${parts.join('\n')}`,
  );
}
