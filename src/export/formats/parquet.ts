import fs from 'node:fs';
import {
  Binary,
  Bool,
  Float64,
  Int32,
  Int64,
  Table,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import type { ColumnKind, ReleaseTable } from '../columns.js';

const ARROW: Record<ColumnKind, () => DataType> = {
  int: () => new Int32(),
  bigint: () => new Int64(),
  float: () => new Float64(),
  text: () => new Utf8(),
  json: () => new Utf8(),
  timestamp: () => new Utf8(),
  bool: () => new Bool(),
  bytes: () => new Binary(),
};

/**
 * One table as Parquet, built as an Arrow table and written by parquet-wasm. Snappy, as pandas
 * writes by default: on 100 sample experiments zstd in wasm took the export from 16.6 to 21.2 s
 * (past its 20 s goal) for a release 29 % smaller.
 */
export function writeParquet(table: ReleaseTable, file: string): void {
  const vectors = Object.fromEntries(
    table.columns.map((c, i) => [c.name, vectorFromArray(table.values[i]!, ARROW[c.kind]())]),
  );
  const arrow = new Table(vectors);
  const wasmTable = parquet.Table.fromIPCStream(tableToIPC(arrow, 'stream'));
  const props = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.SNAPPY).build();
  fs.writeFileSync(file, parquet.writeParquet(wasmTable, props));
}
