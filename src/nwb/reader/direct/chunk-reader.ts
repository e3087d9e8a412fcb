import { chunkEntries, type ChunkEntry } from './btree.js';
import { DEFLATE, filtersOf, SHUFFLE, storageOf, type Filter } from './layout.js';
import { HeaderAttributes } from './attributes.js';
import { shapeOf, type DatasetShape } from './datatype.js';
import { inflateExactly } from './inflate.js';
import { headerMessages } from './object-header.js';
import { type RawFile, Unsupported } from './raw-file.js';

export interface DirectDataset {
  /** Shape and type read from the header: what h5wasm's metadata call would say. */
  meta: DatasetShape;
  /** Its attributes from the header, or null when they are stored elsewhere (h5wasm reads those). */
  attrs: HeaderAttributes | null;
  /** Elements [from, to) as h5wasm's slice returns them (Float32Array / Float64Array). */
  read(from: number, to: number): Float32Array | Float64Array;
  /**
   * The same elements widened to float64 straight from the decoded chunks (no float32 copy between),
   * in shared memory: posting them to the sweep-analysis thread then shares them instead of copying.
   */
  readWide(from: number, to: number): Float64Array;
}

/** Calls `take` with each stored piece overlapping [from, to): its bytes and the elements they hold. */
type Pieces = (from: number, to: number, take: (bytes: Uint8Array, first: number, last: number) => void) => void;

const EXTERNAL_FILES = 0x07;
const MAX_CHUNK_BYTES = 64 << 20;

/**
 * A reader of a 1-D float dataset's stored bytes, inflated with Node's zlib: the same values
 * h5wasm returns without libhdf5's per-call work and zlib compiled to wasm. Throws Unsupported
 * for anything else (other filters, other index types, missing chunks, big-endian, integers);
 * the caller then reads through h5wasm, which also reports corrupt files.
 */
export function directDataset(file: RawFile, address: number): DirectDataset {
  const messages = headerMessages(file, address);
  const meta = shapeOf(messages);
  const [n, second] = meta.shape;
  if (n === undefined || meta.shape.length > 2 || (meta.shape.length === 2 && second !== 1))
    throw new Unsupported('shape');
  if (meta.type !== 1 || (meta.size !== 4 && meta.size !== 8) || !meta.littleEndian)
    throw new Unsupported('not a little-endian float');
  const es = meta.size;
  if (messages.some((m) => m.type === EXTERNAL_FILES)) throw new Unsupported('external storage');
  const filters = filtersOf(messages);
  for (const f of filters)
    if (f.id !== DEFLATE && !(f.id === SHUFFLE && (f.cd[0] ?? es) === es)) throw new Unsupported(`filter ${f.id}`);
  const storage = storageOf(messages);
  const attrs = HeaderAttributes.of(messages, file);

  if (storage.kind === 'contiguous') {
    if (filters.length > 0 || storage.size < n * es) throw new Unsupported('contiguous storage');
    return reader(meta, attrs, (from, to, take) =>
      take(file.readScratch(storage.address + from * es, (to - from) * es), from, to),
    );
  }

  const rows = storage.chunk[0]!;
  const rank = meta.shape.length;
  // The layout's chunk dims are the dataset's plus the element size.
  if (storage.chunk.length !== rank + 1 || storage.chunk[rank] !== es || (rank === 2 && storage.chunk[1] !== 1))
    throw new Unsupported('chunk shape');
  const chunkBytes = rows * es;
  if (rows < 1 || chunkBytes > MAX_CHUNK_BYTES) throw new Unsupported('chunk size');
  const chunks = chunkList(file, storage, n, rows);

  return reader(meta, attrs, (from, to, take) => {
    for (let c = Math.floor(from / rows); c * rows < to; c++) {
      const data = decode(file, chunks[c]!, filters, chunkBytes, es);
      const first = Math.max(from, c * rows);
      const last = Math.min(to, (c + 1) * rows);
      take(data.subarray((first - c * rows) * es, (last - c * rows) * es), first, last);
    }
  });
}

function reader(meta: DatasetShape, attrs: HeaderAttributes | null, pieces: Pieces): DirectDataset {
  const es = meta.size;
  return {
    meta,
    attrs,
    read(from, to) {
      const out = es === 4 ? new Float32Array(to - from) : new Float64Array(to - from);
      const bytes = new Uint8Array(out.buffer);
      pieces(from, to, (data, first) => bytes.set(data, (first - from) * es));
      return out;
    },
    readWide(from, to) {
      // A structured clone of a shared buffer is the same memory: 2.6 MB a sweep not copied twice.
      const out = new Float64Array(new SharedArrayBuffer((to - from) * 8));
      pieces(from, to, (data, first, last) => {
        // Typed views need aligned bytes; zlib's and the scratch buffers start at 0, a copy covers the rest.
        const aligned = data.byteOffset % es === 0 ? data : data.slice();
        const View = es === 4 ? Float32Array : Float64Array;
        out.set(new View(aligned.buffer as ArrayBuffer, aligned.byteOffset, last - first), first - from);
      });
      return out;
    },
  };
}

/** The chunks in order, one per `rows` elements with none missing (a missing one means fill values: h5wasm's job). */
function chunkList(
  file: RawFile,
  storage: ReturnType<typeof storageOf> & { kind: 'chunked' | 'single-chunk' },
  n: number,
  rows: number,
): ChunkEntry[] {
  const chunkBytes = rows * storage.chunk[storage.chunk.length - 1]!;
  const entries =
    storage.kind === 'single-chunk'
      ? [
          {
            offset: [0],
            address: storage.address,
            size: storage.size < 0 ? chunkBytes : storage.size,
            filterMask: storage.filterMask,
          },
        ]
      : chunkEntries(file, storage.btree, storage.chunk.length);
  entries.sort((a, b) => a.offset[0]! - b.offset[0]!);
  if (entries.length !== Math.ceil(n / rows)) throw new Unsupported('missing or extra chunks');
  entries.forEach((e, i) => {
    if (e.offset[0] !== i * rows || e.offset.slice(1).some((o) => o !== 0)) throw new Unsupported('chunk offsets');
    if (e.filterMask !== 0) throw new Unsupported('chunk skipped a filter');
    if (e.size < 1 || e.size > MAX_CHUNK_BYTES) throw new Unsupported('chunk byte size');
  });
  return entries;
}

/** One chunk's stored bytes through the pipeline in reverse; exactly chunkBytes come out or it is not ours. */
function decode(file: RawFile, entry: ChunkEntry, filters: Filter[], chunkBytes: number, es: number): Uint8Array {
  // The stored bytes go to a scratch buffer: the first filter (or the caller) copies them out.
  let data: Uint8Array = file.readScratch(entry.address, entry.size);
  for (let i = filters.length - 1; i >= 0; i--) {
    if (filters[i]!.id === DEFLATE) {
      try {
        // Into a buffer reused by the next chunk: the caller copies or widens each piece at once.
        data = inflateExactly(data, chunkBytes);
      } catch {
        throw new Unsupported('chunk does not inflate');
      }
    } else data = unshuffle(data, es);
  }
  if (data.length !== chunkBytes) throw new Unsupported('chunk decodes to the wrong size');
  return data;
}

/** HDF5's shuffle stores byte k of every element together; put the elements back. */
function unshuffle(src: Uint8Array, es: number): Uint8Array {
  const count = Math.floor(src.length / es);
  const out = new Uint8Array(src.length);
  for (let b = 0; b < es; b++) {
    const from = b * count;
    for (let i = 0; i < count; i++) out[i * es + b] = src[from + i]!;
  }
  // Bytes past whole elements are copied as they are, as libhdf5 does.
  out.set(src.subarray(count * es), count * es);
  return out;
}
