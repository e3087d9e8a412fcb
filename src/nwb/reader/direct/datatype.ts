import type { HeaderMessage } from './object-header.js';
import { Unsupported } from './raw-file.js';

const DATASPACE = 0x01;
const DATATYPE = 0x03;

/** What the direct reader needs of a dataset, as h5wasm's metadata call gives it. */
export interface DatasetShape {
  shape: number[];
  /** H5T class: 1 = float. */
  type: number;
  size: number;
  littleEndian: boolean;
}

/**
 * Shape and element type from the dataspace and datatype messages. Only IEEE float32 / float64
 * (little-endian) come out; anything else throws Unsupported so h5wasm describes it.
 */
export function shapeOf(messages: HeaderMessage[]): DatasetShape {
  return { shape: dimsOf(message(messages, DATASPACE)), type: 1, ...floatOf(message(messages, DATATYPE)) };
}

function message(messages: HeaderMessage[], type: number): Buffer {
  const found = messages.filter((m) => m.type === type);
  if (found.length !== 1 || found[0]!.flags & 0x02) throw new Unsupported(`message ${type}`);
  return found[0]!.body;
}

export function dimsOf(b: Buffer, scalarOk = false): number[] {
  const version = b[0]!;
  const rank = b[1]!;
  if (version === 2 && b[3] !== 1 && !(scalarOk && b[3] === 0)) throw new Unsupported('scalar or null dataspace');
  if (version !== 1 && version !== 2) throw new Unsupported(`dataspace version ${version}`);
  const at = version === 1 ? 8 : 4;
  if (b.length < at + 8 * rank) throw new Unsupported('short dataspace');
  return Array.from({ length: rank }, (_, i) => Number(b.readBigUInt64LE(at + 8 * i)));
}

// IEEE layouts: [precision, exponent location, exponent size, mantissa size, bias].
const IEEE: Record<number, number[]> = { 4: [32, 23, 8, 23, 127], 8: [64, 52, 11, 52, 1023] };

export function floatOf(b: Buffer): { size: number; littleEndian: boolean } {
  const cls = b[0]! & 0x0f;
  const size = b.readUInt32LE(4);
  const ieee = IEEE[size];
  // Bits 0 and 6: byte order (little-endian = both clear); bits 4-5: mantissa normalisation (2 = implied).
  if (cls !== 1 || !ieee || (b[1]! & 0x41) !== 0 || ((b[1]! >> 4) & 3) !== 2 || b.length < 20)
    throw new Unsupported('not a little-endian IEEE float');
  const layout = [b.readUInt16LE(10), b[12]!, b[13]!, b[15]!, b.readUInt32LE(16)];
  if (b.readUInt16LE(8) !== 0 || b[14] !== 0 || layout.some((v, i) => v !== ieee[i]))
    throw new Unsupported('not an IEEE float layout');
  return { size, littleEndian: true };
}

/** A little-endian integer type's size and sign, or Unsupported. */
export function intOf(b: Buffer): { size: number; signed: boolean } {
  const size = b.readUInt32LE(4);
  if ((b[0]! & 0x0f) !== 0 || ![1, 2, 4, 8].includes(size) || b[1]! & 0x01 || b.length < 12)
    throw new Unsupported('not a little-endian integer');
  if (b.readUInt16LE(8) !== 0 || b.readUInt16LE(10) !== size * 8) throw new Unsupported('integer with padding bits');
  return { size, signed: (b[1]! & 0x08) !== 0 };
}

/** One number of a numeric type (float or integer) at `at`, as h5wasm hands it to JavaScript. */
export function numberAt(type: Buffer, data: Buffer, at: number): number {
  if ((type[0]! & 0x0f) === 1) {
    const { size } = floatOf(type);
    return size === 4 ? data.readFloatLE(at) : data.readDoubleLE(at);
  }
  const { size, signed } = intOf(type);
  if (size === 8) return Number(signed ? data.readBigInt64LE(at) : data.readBigUInt64LE(at));
  return signed ? data.readIntLE(at, size) : data.readUIntLE(at, size);
}
