/** A plain aligned text table; numbers align right. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row, r) =>
      row
        .map((cell, i) =>
          r > 0 && typeof rows[r - 1][i] === 'number' ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
