import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { ReleaseTable } from '../columns.js';

/** One table as CSV with a header; sample arrays as base64 of their float32 bytes, booleans as true/false. */
export function writeCsv(table: ReleaseTable, file: string): void {
  const rows: unknown[][] = [];
  for (let r = 0; r < table.rows; r++)
    rows.push(
      table.columns.map((c, i) => {
        const v = table.values[i]![r];
        if (v === null || v === undefined) return '';
        if (c.kind === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
        if (c.kind === 'bigint') return String(v);
        return v;
      }),
    );
  fs.writeFileSync(
    file,
    stringify(rows, { header: true, columns: table.columns.map((c) => c.name), cast: { boolean: (b) => String(b) } }),
  );
}
