import { type RawFile, Unsupported } from './raw-file.js';

export interface ChunkEntry {
  /** First element of the chunk in each dimension. */
  offset: number[];
  address: number;
  size: number;
  filterMask: number;
}

const MAX_CHUNKS = 1 << 20;

/**
 * Every chunk of a version-1 B-tree (type 1, raw data chunks), leaves in key order.
 * `ndims` counts the dataset's dimensions plus the element-size one, as the layout message does.
 */
export function chunkEntries(file: RawFile, root: number, ndims: number): ChunkEntry[] {
  const keySize = 8 + 8 * ndims;
  const out: ChunkEntry[] = [];
  const visit = (address: number, depth: number): void => {
    if (depth > 32) throw new Unsupported('B-tree too deep');
    // One read covers a node of up to ~30 entries (most series); a fuller node is read again whole.
    let node = file.readUpTo(address, 1024);
    if (node.length < 24 || node.toString('latin1', 0, 4) !== 'TREE' || node[4] !== 1)
      throw new Unsupported('not a chunk B-tree node');
    const level = node[5]!;
    const used = node.readUInt16LE(6);
    const size = 24 + used * (keySize + 8) + keySize;
    if (size > node.length) node = file.read(address, size);
    const body = node.subarray(24, size);
    for (let i = 0; i < used; i++) {
      const k = i * (keySize + 8);
      const child = Number(body.readBigUInt64LE(k + keySize));
      if (level > 0) {
        visit(child, depth + 1);
        continue;
      }
      const offset = Array.from({ length: ndims - 1 }, (_, d) => Number(body.readBigUInt64LE(k + 8 + 8 * d)));
      out.push({ offset, address: child, size: body.readUInt32LE(k), filterMask: body.readUInt32LE(k + 4) });
      if (out.length > MAX_CHUNKS) throw new Unsupported('too many chunks');
    }
  };
  visit(root, 0);
  return out;
}
