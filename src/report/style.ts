import { GRID_STATUSES, type GridStatus } from './data.js';

/** One colour per job status; the grid's cells and its legend use them (the browser test checks them). */
export const STATUS_COLOURS: Record<GridStatus, string> = {
  succeeded: '#2e7d32',
  failed: '#c62828',
  skipped: '#9e9e9e',
  ready: '#1565c0',
  running: '#f9a825',
  waiting: '#e0e0e0',
  cancelled: '#6d4c41',
};

export const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { background: #263238; color: #fff; padding: 8px 16px; }
header a { color: #cfd8dc; margin-left: 16px; text-decoration: none; }
main { padding: 8px 16px 32px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
th { background: #f5f5f5; }
figure.chart { display: inline-block; margin: 8px 16px 8px 0; vertical-align: top; }
figcaption { color: #555; font-size: 12px; }
.grid td.status { width: 18px; height: 18px; padding: 0; }
.grid td.status a, .grid td.status span { display: block; width: 100%; height: 18px; }
.grid th.module { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; }
.legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 3px; }
.failure { color: #c62828; }
${GRID_STATUSES.map((s) => `.s-${s} { background: ${STATUS_COLOURS[s]}; }`).join('\n')}
.legend .s-waiting, .legend .s-running { color: #222; }
.legend span { color: #fff; }
`;
