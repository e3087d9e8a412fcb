import { dimsOf, numberAt } from './datatype.js';
import { globalHeapObject } from './global-heap.js';
import type { HeaderMessage } from './object-header.js';
import { Unsupported, type RawFile } from './raw-file.js';

const ATTRIBUTE = 0x0c;
const ATTRIBUTE_INFO = 0x15;
const UNDEFINED = 0xffffffffffffffffn;

interface RawAttribute {
  type: Buffer;
  space: Buffer;
  data: Buffer;
}

/**
 * An object's attributes from its header, for the numeric scalars the reader checks (conversion,
 * offset, rate). Strings and anything unusual are left to h5wasm: `number` answers null then.
 */
export class HeaderAttributes {
  private constructor(
    private readonly file: RawFile,
    private readonly byName: Map<string, RawAttribute>,
  ) {}

  /** The attributes, or null when they live in dense storage (a fractal heap) the header does not hold. */
  static of(messages: HeaderMessage[], file: RawFile): HeaderAttributes | null {
    const info = messages.find((m) => m.type === ATTRIBUTE_INFO);
    if (info) {
      const heap = info.body.readBigUInt64LE(2 + (info.body[1]! & 0x01 ? 2 : 0));
      if (heap !== UNDEFINED) return null;
    }
    const byName = new Map<string, RawAttribute>();
    for (const m of messages) {
      if (m.type !== ATTRIBUTE) continue;
      const a = parse(m.body);
      if (!a) return null;
      byName.set(a.name, a);
    }
    return new HeaderAttributes(file, byName);
  }

  /** A numeric scalar (or 1-element) attribute; undefined when absent; null when only h5wasm can read it. */
  number(name: string): number | undefined | null {
    const a = this.byName.get(name);
    if (!a) return undefined;
    try {
      const dims = dimsOf(a.space, true);
      if (dims.some((d) => d !== 1)) return null;
      return numberAt(a.type, a.data, 0);
    } catch (e) {
      if (e instanceof Unsupported || e instanceof RangeError) return null;
      throw e;
    }
  }

  /** A string (scalar or 1-element) attribute as h5wasm decodes it; undefined when absent; null when only h5wasm can. */
  string(name: string): string | undefined | null {
    const a = this.byName.get(name);
    if (!a) return undefined;
    try {
      if (dimsOf(a.space, true).some((d) => d !== 1)) return null;
      const bytes = stringBytes(this.file, a);
      if (!bytes) return null;
      const { utf8 } = bytes;
      // Cut at the first NUL, as libhdf5's C strings end there.
      const zero = bytes.data.indexOf(0);
      const raw = zero >= 0 ? bytes.data.subarray(0, zero) : bytes.data;
      // Only text both decoders agree on: valid UTF-8, or plain ASCII.
      const text = utf8 ? raw.toString('utf8') : raw.toString('latin1');
      if (utf8 ? text.includes('\ufffd') : raw.some((b) => b > 0x7f)) return null;
      return text;
    } catch (e) {
      if (e instanceof Unsupported || e instanceof RangeError) return null;
      throw e;
    }
  }
}

/** The bytes of a fixed-length or variable-length (global heap) string attribute, or null for other types. */
function stringBytes(file: RawFile, a: RawAttribute): { data: Buffer; utf8: boolean } | null {
  const cls = a.type[0]! & 0x0f;
  if (cls === 3) return { data: a.data.subarray(0, a.type.readUInt32LE(4)), utf8: a.type[1]! >> 4 === 1 };
  // Variable-length of type string (bits 0-3 = 1); charset in bits 8-11.
  if (cls !== 9 || (a.type[1]! & 0x0f) !== 1) return null;
  const length = a.data.readUInt32LE(0);
  const address = Number(a.data.readBigUInt64LE(4));
  const index = a.data.readUInt32LE(12);
  if (length === 0) return { data: Buffer.alloc(0), utf8: true };
  const object = globalHeapObject(file, address, index);
  if (object.length < length) throw new Unsupported('short heap string');
  return { data: object.subarray(0, length), utf8: (a.type[2]! & 0x0f) === 1 };
}

/** An attribute message (versions 1-3); null for shared datatypes or dataspaces. */
function parse(b: Buffer): (RawAttribute & { name: string }) | null {
  const version = b[0]!;
  if (version < 1 || version > 3 || (version > 1 && b[1]! & 0x03)) return null;
  const nameSize = b.readUInt16LE(2);
  const typeSize = b.readUInt16LE(4);
  const spaceSize = b.readUInt16LE(6);
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  let p = version === 3 ? 9 : 8;
  const name = b.toString('utf8', p, p + Math.max(0, nameSize - 1));
  p += pad(nameSize);
  const type = b.subarray(p, p + typeSize);
  p += pad(typeSize);
  const space = b.subarray(p, p + spaceSize);
  p += pad(spaceSize);
  if (p > b.length) return null;
  return { name, type, space, data: b.subarray(p) };
}
