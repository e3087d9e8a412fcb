/** Text for HTML, escaped. */
export function esc(v: unknown): string {
  return String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A file name for an experiment id (they contain '/'). */
export const slug = (id: string) => id.replace(/[^A-Za-z0-9._-]+/g, '_');
export const experimentPage = (id: string) => `experiments/${slug(id)}.html`;
export const connectionPage = (pairId: number) => `connections/pair-${pairId}.html`;

export const fmt = (v: number | null | undefined, scale = 1, digits = 2) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : (v * scale).toFixed(digits);

/** A complete page; `root` is the relative path back to the report's folder ('' or '../'). */
export function page(title: string, root: string, body: string): string {
  const nav = [
    ['index.html', 'Pipeline'],
    ['connectivity.html', 'Connectivity'],
    ['experiments.html', 'Experiments'],
  ]
    .map(([href, label]) => `<a href="${root}${href}">${label}</a>`)
    .join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · mpctl report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${root}style.css"></head>
<body><header><strong>mpctl</strong> ${nav}</header><main><h1>${esc(title)}</h1>
${body}
</main></body></html>
`;
}

export function table(headers: string[], rows: string[][], attrs = ''): string {
  return `<table ${attrs}><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>
${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`;
}

export const figure = (svg: string, caption: string) =>
  `<figure class="chart">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
