import type { TopLevelSpec } from 'vega-lite';
import { decimate, renderChart } from '../charts.js';
import type { Average, PairRow } from '../data.js';
import { esc, experimentPage, figure, fmt, page, table } from '../html.js';

/** Points of the averaged train and of its fit, in ms from the first spike and mV, at most ~150 per pulse each. */
function tracePoints(averages: Average[]) {
  const t0 = averages[0]?.spikeTime ?? 0;
  const out: { t: number; v: number; series: string; pulse: number }[] = [];
  for (const a of averages)
    for (const [series, data] of [
      ['average', a.data],
      ['fit', a.fit],
    ] as const) {
      if (!data) continue;
      for (const p of decimate(data, 150))
        out.push({
          t: +((a.windowStart + p.index / a.sampleRate - t0) * 1e3).toFixed(3),
          v: +(p.value * 1e3).toFixed(4),
          series,
          pulse: a.pulseNumber,
        });
    }
  return out;
}

const traceSpec = (averages: Average[]): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  data: { values: tracePoints(averages) },
  width: 640,
  height: 240,
  mark: { type: 'line', strokeWidth: 1.2 },
  encoding: {
    x: { field: 't', type: 'quantitative', title: 'time from the first presynaptic spike (ms)' },
    y: { field: 'v', type: 'quantitative', title: 'mV (baseline removed)', scale: { zero: false } },
    color: { field: 'series', type: 'nominal', scale: { domain: ['average', 'fit'], range: ['#455a64', '#e53935'] } },
    detail: { field: 'pulse', type: 'nominal' },
  },
});

const ppSpec = (p: PairRow): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  data: { values: (p.pulseAmplitudes ?? []).map((a, i) => ({ pulse: i + 1, amplitude: a === null ? null : a * 1e3 })) },
  width: 240,
  height: 160,
  mark: { type: 'line', point: true },
  encoding: {
    x: { field: 'pulse', type: 'ordinal', title: 'pulse' },
    y: { field: 'amplitude', type: 'quantitative', title: 'fitted amplitude (mV)' },
  },
});

/** One connection: the averaged response train with its fit overlaid, the fit's figures and its dynamics. */
export async function connectionPage(p: PairRow, averages: Average[]): Promise<string> {
  const charts = [];
  if (averages.length)
    charts.push(
      figure(await renderChart(traceSpec(averages)), 'Pulse-aligned average over sweeps (grey) and the fit (red).'),
    );
  if (p.pulseAmplitudes?.length)
    charts.push(
      figure(await renderChart(ppSpec(p)), 'Fitted amplitude of each pulse of the train (short-term plasticity).'),
    );
  const dynamics = p.dynamics
    ? table(
        ['dynamics', 'value'],
        Object.entries(p.dynamics)
          .filter(([k]) => !['id', 'experiment_id', 'pair_id'].includes(k))
          .map(([k, v]) => [esc(k), esc(typeof v === 'number' ? v.toPrecision(4) : JSON.stringify(v))]),
      )
    : '<p>No dynamics results for this pair.</p>';
  return page(
    `${p.pre} → ${p.post}`,
    '../',
    `<p>Experiment <a href="../${esc(experimentPage(p.experiment))}">${esc(p.experiment)}</a>; ${esc(p.synapseType)} connection, detection score ${fmt(p.score, 1, 1)}, ${p.nSamples} responses.</p>
${charts.join('\n')}
${table(
  ['amplitude (mV)', 'latency (ms)', 'rise time (ms)', 'decay τ (ms)', 'NRMSE', 'distance (µm)'],
  [
    [
      fmt(p.amplitude, 1e3, 3),
      fmt(p.latency, 1e3, 2),
      fmt(p.riseTime, 1e3, 2),
      fmt(p.decayTau, 1e3, 1),
      fmt(p.nrmse, 1, 2),
      fmt(p.distanceUm, 1, 0),
    ],
  ],
)}
<h2>Short-term dynamics</h2>${dynamics}`,
  );
}
