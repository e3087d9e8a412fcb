import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from '../charts.js';
import { GRID_STATUSES, type ReportData } from '../data.js';
import { esc, experimentPage, figure, page, table } from '../html.js';
import { STATUS_COLOURS } from '../style.js';

/** The module graph as a layered drawing: column = depth in the graph, edges from each dependency. */
function graphSpec(modules: ReportData['modules']): TopLevelSpec {
  const depth = new Map<string, number>();
  for (const m of modules) depth.set(m.name, Math.max(0, ...m.dependencies.map((d) => (depth.get(d) ?? 0) + 1)));
  const row = new Map<number, number>();
  const at = new Map<string, { x: number; y: number }>();
  for (const m of modules) {
    const x = depth.get(m.name)!;
    const y = row.get(x) ?? 0;
    row.set(x, y + 1);
    at.set(m.name, { x, y });
  }
  const nodes = modules.map((m) => ({ ...at.get(m.name)!, name: `${m.name} v${m.version}`, scope: m.scope }));
  const edges = modules.flatMap((m) =>
    m.dependencies.map((d) => ({ x: at.get(d)!.x, y: at.get(d)!.y, x2: at.get(m.name)!.x, y2: at.get(m.name)!.y })),
  );
  const axis = { axis: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: Math.max(300, 150 * (Math.max(...nodes.map((n) => n.x)) + 1)),
    height: Math.max(80, 45 * Math.max(...row.values())),
    layer: [
      {
        data: { values: edges },
        mark: { type: 'rule', color: '#90a4ae', strokeWidth: 1.5 },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            scale: { domain: [-0.3, Math.max(...nodes.map((n) => n.x)) + 0.7] },
            ...axis,
          },
          y: { field: 'y', type: 'quantitative', scale: { domain: [Math.max(...row.values()) - 0.5, -0.5] }, ...axis },
          x2: { field: 'x2' },
          y2: { field: 'y2' },
        },
      },
      {
        data: { values: nodes },
        mark: { type: 'point', filled: true, size: 160 },
        encoding: {
          x: { field: 'x', type: 'quantitative', ...axis },
          y: { field: 'y', type: 'quantitative', ...axis },
          color: { field: 'scope', type: 'nominal', scale: { range: ['#37474f', '#00897b'] }, title: 'job per' },
        },
      },
      {
        data: { values: nodes },
        mark: { type: 'text', dy: -14, fontSize: 12 },
        encoding: {
          x: { field: 'x', type: 'quantitative', ...axis },
          y: { field: 'y', type: 'quantitative', ...axis },
          text: { field: 'name' },
        },
      },
    ],
  };
}

export async function pipelinePage(d: ReportData): Promise<string> {
  const graph = figure(
    await renderChart(graphSpec(d.modules)),
    'Modules; each runs after the ones to its left that it depends on.',
  );
  const counts = table(
    ['module', ...GRID_STATUSES],
    d.modules.map((m) => [
      esc(m.name),
      ...GRID_STATUSES.map((s) => String(d.grid.filter((c) => c.module === m.name && c.status === s).length)),
    ]),
    'class="counts"',
  );
  const legend = `<p class="legend">${GRID_STATUSES.map((s) => `<span class="s-${s}">${s}</span>`).join('')}</p>`;
  const byCell = new Map(d.grid.map((c) => [`${c.experiment}\u0000${c.module}`, c]));
  const rows = d.experiments.map((e) => {
    const cells = d.modules.map((m) => {
      const c = byCell.get(`${e}\u0000${m.name}`)!;
      const title = esc(`${m.name} ${c.jobId}: ${c.status}${c.message ? ` — ${c.errorType ?? ''} ${c.message}` : ''}`);
      const inner = c.link
        ? `<a href="${esc(c.link)}" title="${title}" target="_blank" rel="noopener"></a>`
        : `<span title="${title}"></span>`;
      return `<td class="status s-${c.status}" data-experiment="${esc(e)}" data-module="${esc(m.name)}" data-status="${c.status}" style="background:${STATUS_COLOURS[c.status]}">${inner}</td>`;
    });
    return `<tr><th><a href="${esc(experimentPage(e))}">${esc(e)}</a></th>${cells.join('')}</tr>`;
  });
  const grid = `<table class="grid"><thead><tr><th>experiment</th>${d.modules
    .map((m) => `<th class="module">${esc(m.name)}</th>`)
    .join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
  const failed = d.grid.filter((c) => c.status === 'failed');
  const failures = failed.length
    ? `<h2>Failures</h2><ul>${failed
        .map(
          (c) =>
            `<li class="failure"><b>${esc(c.module)}</b> ${esc(c.jobId)}: [${esc(c.errorType)}] ${esc(c.message)}${
              c.link ? ` <a href="${esc(c.link)}" target="_blank" rel="noopener">workflow</a>` : ''
            }</li>`,
        )
        .join('')}</ul>`
    : '';
  return page(
    'Pipeline',
    '',
    `<p>${d.experiments.length} experiments × ${d.modules.length} modules. Last update: ${esc(d.lastUpdate ?? 'never')}; report written ${esc(d.generatedAt)}.</p>
${graph}
<h2>Jobs per module</h2>${counts}
<h2>Status by experiment</h2>${legend}<p>Each cell links to its job's workflow in the Temporal Web UI; hover for the failure message.</p>
${grid}
${failures}`,
  );
}
