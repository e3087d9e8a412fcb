import { Unsupported, type RawFile } from './raw-file.js';

const collections = new WeakMap<RawFile, Map<number, Map<number, Buffer>>>();

/** One object of a global heap collection (where variable-length strings live), collections cached per file. */
export function globalHeapObject(file: RawFile, address: number, index: number): Buffer {
  let byAddress = collections.get(file);
  if (!byAddress) collections.set(file, (byAddress = new Map()));
  let objects = byAddress.get(address);
  if (!objects) {
    objects = readCollection(file, address);
    byAddress.set(address, objects);
  }
  const found = objects.get(index);
  if (!found) throw new Unsupported('no such global heap object');
  return found;
}

function readCollection(file: RawFile, address: number): Map<number, Buffer> {
  const head = file.read(address, 16);
  if (head.toString('latin1', 0, 4) !== 'GCOL' || head[4] !== 1) throw new Unsupported('not a global heap');
  const size = Number(head.readBigUInt64LE(8));
  if (size < 16 || size > 1 << 24) throw new Unsupported('global heap size');
  const buf = file.read(address, size);
  const objects = new Map<number, Buffer>();
  for (let p = 16; p + 16 <= size;) {
    const index = buf.readUInt16LE(p);
    const length = Number(buf.readBigUInt64LE(p + 8));
    // Index 0 is the free space at the end.
    if (index === 0) break;
    if (p + 16 + length > size) throw new Unsupported('global heap object past its collection');
    objects.set(index, buf.subarray(p + 16, p + 16 + length));
    p += 16 + Math.ceil(length / 8) * 8;
  }
  return objects;
}
