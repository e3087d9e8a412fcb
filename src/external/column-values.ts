import type { ColumnType } from '../db/sql.js';
import type { ColumnTypeName } from './manifest-schema.js';

/** How each declared column type travels in the bulk insert. */
export const INSERT_TYPE: Record<ColumnTypeName, ColumnType> = {
  text: 'text',
  integer: 'int4',
  bigint: 'int8',
  double: 'float8',
  boolean: 'bool',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
  'float32[]': 'bytea',
};

const INT4 = 2 ** 31;

/**
 * A JSON value as the column stores it, or a reason it does not fit. Samples become float32
 * bytes (the layout of every sample column); timestamps must name their time zone.
 */
export function toColumnValue(type: ColumnTypeName, value: unknown): { value: unknown } | { problem: string } {
  switch (type) {
    case 'text':
      return typeof value === 'string' ? { value } : { problem: 'expected a string' };
    case 'integer':
      return Number.isInteger(value) && Math.abs(value as number) < INT4
        ? { value }
        : { problem: 'expected an integer between -2147483648 and 2147483647' };
    case 'bigint':
      if (Number.isSafeInteger(value)) return { value };
      return typeof value === 'string' && /^-?\d{1,19}$/.test(value) ? { value } : { problem: 'expected an integer' };
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : { problem: 'expected a finite number' };
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { problem: 'expected true or false' };
    case 'timestamptz':
      return typeof value === 'string' && /(Z|[+-]\d\d(:?\d\d)?)$/i.test(value) && !Number.isNaN(Date.parse(value))
        ? { value }
        : { problem: 'expected an ISO 8601 time with a time zone, like 2026-12-01T10:00:00Z' };
    case 'jsonb':
      return { value };
    case 'float32[]':
      return samples(value);
  }
}

function samples(value: unknown): { value: Buffer } | { problem: string } {
  if (!Array.isArray(value)) return { problem: 'expected an array of numbers' };
  const out = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const x = value[i] as unknown;
    if (typeof x !== 'number' || !Number.isFinite(x)) return { problem: `element ${i} is not a finite number` };
    out[i] = x;
  }
  return { value: Buffer.from(out.buffer, out.byteOffset, out.byteLength) };
}

/** A value short enough to quote in an error message. */
export function quoteValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
