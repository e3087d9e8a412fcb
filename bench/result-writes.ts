import pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import { bulkInsert, type ColumnType } from '../src/db/sql.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { median, type BenchRow } from './support/report.js';

/** Shaped like the dataset module's pulse_response: ids, floats, booleans, jsonb and a float32 window. */
const TABLE = 'bench_pulse_response';
const COLUMNS: Record<string, ColumnType> = {
  experiment_id: 'text',
  stim_pulse_id: 'int4',
  pair_id: 'int4',
  recording_id: 'int4',
  baseline_id: 'int4',
  window_start: 'int4',
  sample_rate: 'float8',
  data: 'bytea',
  ex_qc_pass: 'bool',
  in_qc_pass: 'bool',
  qc_reasons: 'jsonb',
};
const DDL = `CREATE TABLE ${TABLE} (id serial PRIMARY KEY, experiment_id text NOT NULL, stim_pulse_id int4, pair_id int4, recording_id int4, baseline_id int4,
  window_start int4, sample_rate float8, data bytea, ex_qc_pass bool, in_qc_pass bool, qc_reasons jsonb)`;
/** 60 ms at 20 kHz: a full response window. */
const WINDOW = 1200;

type Row = Record<string, unknown>;

/** One experiment's responses: 8 cells × 7 partners × 12 pulses per sweep. */
function experimentRows(e: number, n: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const f = new Float32Array(WINDOW);
    for (let s = 0; s < WINDOW; s++) f[s] = -0.065 + 1e-4 * Math.sin(i + s * 0.01);
    rows.push({
      experiment_id: `s${e}/site_0`,
      stim_pulse_id: i,
      pair_id: i % 56,
      recording_id: i % 400,
      baseline_id: i % 3 ? i : null,
      window_start: 6000 + i,
      sample_rate: 20000,
      data: Buffer.from(f.buffer),
      ex_qc_pass: i % 5 !== 0,
      in_qc_pass: i % 7 !== 0,
      qc_reasons: i % 5 ? [] : ['noisy baseline'],
    });
  }
  return rows;
}

/**
 * COPY binary format: the cheapest way into PostgreSQL (no text parsing at all, bytea raw).
 * Header, then per row a field count and length-prefixed big-endian fields, then -1.
 */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const TRAILER = Buffer.from([0xff, 0xff]);

function copyTuple(row: Row): Buffer {
  const fields: Buffer[] = [];
  const names = Object.keys(COLUMNS);
  const head = Buffer.alloc(2);
  head.writeInt16BE(names.length);
  fields.push(head);
  for (const name of names) {
    const v = row[name];
    let body: Buffer | null;
    if (v === null || v === undefined) body = null;
    else
      switch (COLUMNS[name]) {
        case 'int4':
          body = Buffer.alloc(4);
          body.writeInt32BE(v as number);
          break;
        case 'float8':
          body = Buffer.alloc(8);
          body.writeDoubleBE(v as number);
          break;
        case 'bool':
          body = Buffer.from([v ? 1 : 0]);
          break;
        // jsonb's binary form is a version byte and the JSON text.
        case 'jsonb':
          body = Buffer.concat([Buffer.from([1]), Buffer.from(JSON.stringify(v))]);
          break;
        case 'bytea':
          body = v as Buffer;
          break;
        default:
          body = Buffer.from(String(v));
      }
    const len = Buffer.alloc(4);
    len.writeInt32BE(body ? body.byteLength : -1);
    fields.push(len);
    if (body) fields.push(body);
  }
  return Buffer.concat(fields);
}

async function copyRows(client: pg.Client, rows: Row[]): Promise<void> {
  const stream = client.query(
    copyStreams.from(`COPY ${TABLE} (${Object.keys(COLUMNS).join(', ')}) FROM STDIN (FORMAT binary)`),
  );
  await pipeline(
    Readable.from(
      (function* () {
        yield HEADER;
        for (const row of rows) yield copyTuple(row);
        yield TRAILER;
      })(),
    ),
    stream,
  );
}

/**
 * Result writes: pulse-response rows through bulkInsert (one statement per experiment, in a
 * transaction, as the dataset module writes) versus binary COPY FROM STDIN of the same rows.
 * Rounds interleave the two into freshly truncated tables; medians of rows per second.
 */
export async function benchResultWrites(
  quick: boolean,
  sizes?: { experiments: number; perExperiment: number; rounds: number },
): Promise<{ rows: BenchRow[]; details: Record<string, unknown> }> {
  const { experiments, perExperiment, rounds } =
    sizes ??
    (quick ? { experiments: 2, perExperiment: 1000, rounds: 3 } : { experiments: 5, perExperiment: 4000, rounds: 5 });
  const db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(DDL);
    const data = Array.from({ length: experiments }, (_, e) => experimentRows(e, perExperiment));
    const total = experiments * perExperiment;
    const ours: number[] = [];
    const copy: number[] = [];
    const truncate = () => client.query(`TRUNCATE ${TABLE}; CHECKPOINT`).catch(() => client.query(`TRUNCATE ${TABLE}`));
    for (let i = 0; i <= rounds; i++) {
      await truncate();
      let t0 = performance.now();
      for (const rows of data) await db.orm.em.fork().transactional((em) => bulkInsert(em, TABLE, COLUMNS, rows));
      const a = (performance.now() - t0) / 1000;
      await truncate();
      t0 = performance.now();
      for (const rows of data) {
        await client.query('BEGIN');
        await copyRows(client, rows);
        await client.query('COMMIT');
      }
      const b = (performance.now() - t0) / 1000;
      // Round 0 warms connections, JIT and the table's first pages.
      if (i > 0) {
        ours.push(total / a);
        copy.push(total / b);
      }
    }
    // Both paths must have stored the same bytes: every window whole, the first one bit for bit.
    const stored = async (): Promise<{ n: number; first: string }> =>
      (
        await client.query(
          `SELECT count(*) FILTER (WHERE length(data) = ${WINDOW * 4})::int AS n, encode((array_agg(data ORDER BY id))[1], 'hex') AS first FROM ${TABLE}`,
        )
      ).rows[0];
    const expectFirst = (data[0]![0]!.data as Buffer).toString('hex');
    const viaCopy = await stored();
    await truncate();
    for (const rows of data) await db.orm.em.fork().transactional((em) => bulkInsert(em, TABLE, COLUMNS, rows));
    const viaInsert = await stored();
    for (const [name, got] of [
      ['COPY', viaCopy],
      ['bulkInsert', viaInsert],
    ] as const) {
      if (got.n !== total || got.first !== expectFirst)
        throw new Error(
          `result-writes: ${name} stored ${got.n}/${total} whole windows${got.first === expectFirst ? '' : ', first window differs'}`,
        );
    }
    const mp = median(ours);
    const base = median(copy);
    return {
      rows: [
        {
          benchmark: 'result-writes',
          metric: `pulse_response rows (${WINDOW}-sample float32 windows), ${experiments}×${perExperiment}`,
          mpctl: mp,
          baseline: base,
          baselineName: 'COPY binary',
          ratio: mp / base,
          goal: '≥ 0.5 of COPY',
          met: mp / base >= 0.5,
          unit: 'rows/s',
        },
      ],
      details: { total, bulkInsertRowsPerSecond: ours, copyRowsPerSecond: copy },
    };
  } finally {
    await client.end();
    await db.drop();
  }
}
