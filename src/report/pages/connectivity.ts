import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from '../charts.js';
import {
  clopperPearson,
  fitGaussianConnectivity,
  type GaussianFit,
  type ProbedPair,
} from '../../analysis/connectivity.js';
import type { ConnectivityCell } from '../../views/connectivity.js';
import type { PairRow, ReportData } from '../data.js';
import { esc, experimentPage, figure, fmt, page, table } from '../html.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Bin width of the distance plot, µm. */
const DISTANCE_BIN_UM = 25;

interface DistanceBin {
  distance: number;
  probability: number;
  ciLow: number;
  ciHigh: number;
  n: number;
}

/** Connected / probed per distance bin with its Clopper–Pearson interval, as the matrix reports them. */
export function distanceBins(pairs: ProbedPair[]): DistanceBin[] {
  const bins = new Map<number, { n: number; k: number }>();
  for (const p of pairs) {
    const b = Math.floor(p.distance / DISTANCE_BIN_UM);
    const bin = bins.get(b) ?? { n: 0, k: 0 };
    bin.n++;
    if (p.connected) bin.k++;
    bins.set(b, bin);
  }
  return [...bins.entries()]
    .sort(([a], [b]) => a - b)
    .map(([b, { n, k }]) => {
      const [ciLow, ciHigh] = clopperPearson(k, n);
      return { distance: (b + 0.5) * DISTANCE_BIN_UM, probability: k / n, ciLow, ciHigh, n };
    });
}

/** p(d) = pmax·exp(−d²/2σ²) sampled over the plotted range, for the curve over the bins. */
export function fittedCurve(fit: GaussianFit, maxDistance: number, points = 60): { distance: number; p: number }[] {
  return Array.from({ length: points + 1 }, (_, i) => {
    const d = (maxDistance * i) / points;
    return { distance: d, p: fit.pmax * Math.exp(-(d * d) / (2 * fit.sigma * fit.sigma)) };
  });
}

const matrixSpec = (cells: ConnectivityCell[]): TopLevelSpec => ({
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

const distanceSpec = (bins: DistanceBin[], curve: { distance: number; p: number }[]): TopLevelSpec => ({
  $schema: SCHEMA,
  width: 360,
  height: 200,
  encoding: {
    x: { field: 'distance', type: 'quantitative', title: 'intersomatic distance (µm)' },
  },
  layer: [
    {
      data: { values: bins },
      mark: { type: 'rule', color: '#9ab' },
      encoding: {
        y: { field: 'ciLow', type: 'quantitative', title: 'connection probability', scale: { domain: [0, 1] } },
        y2: { field: 'ciHigh' },
      },
    },
    {
      data: { values: bins },
      mark: { type: 'point', filled: true, color: '#246' },
      encoding: { y: { field: 'probability', type: 'quantitative' }, tooltip: [{ field: 'n', title: 'probed' }] },
    },
    ...(curve.length
      ? [
          {
            data: { values: curve },
            mark: { type: 'line' as const, color: '#c33' },
            encoding: { y: { field: 'p', type: 'quantitative' as const } },
          },
        ]
      : []),
  ],
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
  if (d.connectivity) {
    const cells = d.connectivity.matrix.filter((c) => c.probed > 0);
    parts.push('<h2>By cell class</h2>');
    if (cells.length)
      parts.push(
        figure(
          await renderChart(matrixSpec(cells)),
          "Connection probability (connected/probed) by class; probed pairs are counted as mpctl connectivity counts them. In the table, pmax and σ are the distance fit corrected for each pair's detection power (the share of connections its noise lets detection find), as mpctl connectivity gives them.",
        ),
      );
    parts.push(
      table(
        [
          'pre',
          'post',
          'probed',
          'connected',
          'probability',
          '95 % CI (Clopper–Pearson)',
          'detection power',
          'pmax (corrected)',
          'σ (µm)',
        ],
        cells.map((c) => [
          esc(c.pre),
          esc(c.post),
          String(c.probed),
          String(c.connected),
          fmt(c.probability),
          `${fmt(c.ciLow)}–${fmt(c.ciHigh)}`,
          fmt(c.detectionPower),
          fmt(c.pmax),
          fmt(c.sigma, 1, 0),
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
  // With classes, the probed pairs and their lateral distance; without, every tested pair.
  const probed: ProbedPair[] =
    d.connectivity?.probed ??
    d.pairs.flatMap((p) => (p.distanceUm === null ? [] : [{ distance: p.distanceUm, connected: p.connected }]));
  const fit = fitGaussianConnectivity(probed);
  const maxDistance = Math.max(0, ...probed.map((p) => p.distance));
  parts.push('<h2>Distance and strength</h2>');
  const fitText = fit
    ? ` The line is the maximum-likelihood fit p(d) = pmax·exp(−d²/2σ²): pmax ${fmt(fit.pmax)} (${fmt(fit.pmaxCi[0])}–${fmt(fit.pmaxCi[1])}), σ ${fmt(fit.sigma, 1, 0)} µm (${fmt(fit.sigmaCi[0], 1, 0)}–${fmt(fit.sigmaCi[1], 1, 0)}).`
    : ' No connection yet, so no fit.';
  const charts: [TopLevelSpec, string][] = [
    [
      distanceSpec(distanceBins(probed), fit ? fittedCurve(fit, maxDistance) : []),
      `Connection probability by intersomatic distance (${DISTANCE_BIN_UM} µm bins, 95 % intervals).${fitText}`,
    ],
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
