import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite spec rendered to SVG now, at build time (no script runs in the report): the page
 * works from file:// with nothing to load.
 */
export async function renderChart(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Block means down to at most `max` points, so a trace costs the same bytes however fast it was sampled. */
export function decimate(data: ArrayLike<number>, max: number): { index: number; value: number }[] {
  const f = Math.max(1, Math.ceil(data.length / max));
  const out: { index: number; value: number }[] = [];
  for (let i = 0; i + f <= data.length; i += f) {
    let s = 0;
    for (let k = 0; k < f; k++) s += data[i + k]!;
    out.push({ index: i + (f - 1) / 2, value: s / f });
  }
  return out;
}
