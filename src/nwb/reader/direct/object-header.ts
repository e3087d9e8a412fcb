import { type RawFile, Unsupported } from './raw-file.js';

export interface HeaderMessage {
  type: number;
  flags: number;
  body: Buffer;
}

const CONTINUATION = 0x10;
const MAX_BLOCKS = 64;
// A header block claiming more than this is hostile or exotic: h5wasm's to judge.
const MAX_BLOCK_BYTES = 1 << 20;

/** The messages of the object header at `address` (version 1 or 2), continuation blocks followed. */
export function headerMessages(file: RawFile, address: number): HeaderMessage[] {
  const first = file.readUpTo(address, 512);
  if (first.length >= 4 && first.toString('latin1', 0, 4) === 'OHDR') return v2Messages(file, address, first);
  if (first.length >= 16 && first[0] === 1) return v1Messages(file, address, first);
  throw new Unsupported('unknown object header version');
}

function v1Messages(file: RawFile, address: number, head: Buffer): HeaderMessage[] {
  const size = head.readUInt32LE(8);
  const out: HeaderMessage[] = [];
  const blocks: { at: number; length: number }[] = [{ at: address + 16, length: size }];
  for (let b = 0; b < blocks.length; b++) {
    if (b >= MAX_BLOCKS) throw new Unsupported('too many header blocks');
    const { at, length } = blocks[b]!;
    if (length > MAX_BLOCK_BYTES) throw new Unsupported('header block too large');
    const buf = b === 0 && 16 + length <= head.length ? head.subarray(16, 16 + length) : file.read(at, length);
    for (let p = 0; p + 8 <= buf.length;) {
      const type = buf.readUInt16LE(p);
      const len = buf.readUInt16LE(p + 2);
      const flags = buf[p + 4]!;
      if (p + 8 + len > buf.length) throw new Unsupported('message past its block');
      const body = buf.subarray(p + 8, p + 8 + len);
      if (type === CONTINUATION) blocks.push(continuation(body));
      else out.push({ type, flags, body });
      p += 8 + len;
    }
  }
  return out;
}

function v2Messages(file: RawFile, address: number, head: Buffer): HeaderMessage[] {
  if (head[4] !== 2) throw new Unsupported('object header version');
  const flags = head[5]!;
  let p = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
  const sizeBytes = 1 << (flags & 3);
  const chunk0 = head.readUIntLE(p, sizeBytes);
  p += sizeBytes;
  const tracked = (flags & 0x04) !== 0;
  const out: HeaderMessage[] = [];
  // Each block: where its messages start and end (before the 4-byte checksum).
  const blocks: { at: number; length: number; skip: number }[] = [{ at: address, length: p + chunk0, skip: p }];
  for (let b = 0; b < blocks.length; b++) {
    if (b >= MAX_BLOCKS) throw new Unsupported('too many header blocks');
    const { at, length, skip } = blocks[b]!;
    if (length > MAX_BLOCK_BYTES) throw new Unsupported('header block too large');
    // The first block is usually inside the bytes already read.
    const buf = b === 0 && length <= head.length ? head.subarray(0, length) : file.read(at, length);
    if (b > 0 && buf.toString('latin1', 0, 4) !== 'OCHK') throw new Unsupported('bad continuation block');
    const end = b === 0 ? buf.length : buf.length - 4;
    const header = tracked ? 6 : 4;
    for (let q = skip; q + header <= end;) {
      const type = buf[q]!;
      const len = buf.readUInt16LE(q + 1);
      const mflags = buf[q + 3]!;
      if (q + header + len > end) throw new Unsupported('message past its block');
      const body = buf.subarray(q + header, q + header + len);
      if (type === CONTINUATION) blocks.push({ ...continuation(body), skip: 4 });
      else out.push({ type, flags: mflags, body });
      q += header + len;
    }
  }
  return out;
}

function continuation(body: Buffer): { at: number; length: number } {
  if (body.length < 16) throw new Unsupported('short continuation message');
  return { at: Number(body.readBigUInt64LE(0)), length: Number(body.readBigUInt64LE(8)) };
}
