import stringWidth from 'string-width';

/** A plain aligned text table; numbers align right. Widths are terminal columns, so wide characters align. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => stringWidth(row[i] ?? ''))));
  return cells
    .map((row, r) =>
      row
        .map((cell, i) => {
          const pad = ' '.repeat(widths[i] - stringWidth(cell));
          return r > 0 && typeof rows[r - 1][i] === 'number' ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
