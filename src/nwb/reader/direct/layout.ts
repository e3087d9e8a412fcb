import type { HeaderMessage } from './object-header.js';
import { Unsupported } from './raw-file.js';

const LAYOUT = 0x08;
const FILTERS = 0x0b;
const SHARED = 0x02;
export const DEFLATE = 1;
export const SHUFFLE = 2;

export type Storage =
  | { kind: 'contiguous'; address: number; size: number }
  | { kind: 'chunked'; btree: number; chunk: number[] }
  | { kind: 'single-chunk'; address: number; size: number; filterMask: number; chunk: number[] };

export interface Filter {
  id: number;
  cd: number[];
}

/** Where the data lives, from the layout message (version 3, or version 4 contiguous / single chunk). */
export function storageOf(messages: HeaderMessage[]): Storage {
  const m = only(messages, LAYOUT);
  if (!m) throw new Unsupported('no layout message');
  const b = m.body;
  const version = b[0]!;
  const cls = b[1]!;
  if (version !== 3 && version !== 4) throw new Unsupported(`layout version ${version}`);
  if (cls === 1) return { kind: 'contiguous', address: addr(b, 2), size: Number(b.readBigUInt64LE(10)) };
  if (cls !== 2) throw new Unsupported(`layout class ${cls}`);
  if (version === 3) {
    const ndims = b[2]!;
    const chunk = Array.from({ length: ndims }, (_, i) => b.readUInt32LE(11 + 4 * i));
    return { kind: 'chunked', btree: addr(b, 3), chunk };
  }
  const flags = b[2]!;
  const ndims = b[3]!;
  const enc = b[4]!;
  if (enc < 1 || enc > 6) throw new Unsupported('chunk dimension encoding');
  const chunk = Array.from({ length: ndims }, (_, i) => b.readUIntLE(5 + enc * i, enc));
  let p = 5 + enc * ndims;
  const index = b[p++]!;
  // Fixed arrays, extensible arrays and v2 B-trees (libver latest) are left to h5wasm.
  if (index !== 1) throw new Unsupported(`chunk index type ${index}`);
  if (flags & 0x02) {
    const size = Number(b.readBigUInt64LE(p));
    const filterMask = b.readUInt32LE(p + 8);
    return { kind: 'single-chunk', address: addr(b, p + 12), size, filterMask, chunk };
  }
  return { kind: 'single-chunk', address: addr(b, p), size: -1, filterMask: 0, chunk };
}

/** The filter pipeline, in the order the writer applied it (versions 1 and 2 of the message). */
export function filtersOf(messages: HeaderMessage[]): Filter[] {
  const m = only(messages, FILTERS);
  if (!m) return [];
  const b = m.body;
  const version = b[0]!;
  const n = b[1]!;
  if (version !== 1 && version !== 2) throw new Unsupported(`filter pipeline version ${version}`);
  let p = version === 1 ? 8 : 2;
  const out: Filter[] = [];
  for (let i = 0; i < n; i++) {
    const id = b.readUInt16LE(p);
    p += 2;
    const nameLength = version === 1 || id >= 256 ? b.readUInt16LE(p) : 0;
    if (version === 1 || id >= 256) p += 2;
    p += 2; // flags (optional or not): a skipped optional filter shows in the chunk's filter mask
    const ncd = b.readUInt16LE(p);
    p += 2 + nameLength;
    const cd = Array.from({ length: ncd }, (_, k) => b.readUInt32LE(p + 4 * k));
    p += 4 * ncd + (version === 1 && ncd % 2 === 1 ? 4 : 0);
    out.push({ id, cd });
  }
  return out;
}

function only(messages: HeaderMessage[], type: number): HeaderMessage | undefined {
  const found = messages.filter((m) => m.type === type);
  if (found.length > 1) throw new Unsupported(`two messages of type ${type}`);
  if (found[0] && found[0].flags & SHARED) throw new Unsupported(`shared message of type ${type}`);
  return found[0];
}

function addr(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v === 0xffffffffffffffffn) throw new Unsupported('undefined address (no storage allocated)');
  return Number(v);
}
