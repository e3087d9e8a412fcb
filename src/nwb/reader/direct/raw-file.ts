import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Thrown when the file's bytes are not what the fast path understands; callers fall back to h5wasm. */
export class Unsupported extends Error {}

/**
 * The file's bytes by HDF5 address (relative to the superblock's base address), read with
 * pread. Only files with 8-byte offsets and lengths (every writer's default) are accepted.
 */
export class RawFile {
  private scratch = Buffer.allocUnsafe(1 << 16);

  private constructor(
    private readonly fd: number,
    readonly size: number,
    readonly base: number,
  ) {}

  /** Opens the file and reads its superblock; undefined when the layout is one the fast path leaves to h5wasm. */
  static open(path: string): RawFile | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    try {
      const size = fstatSync(fd).size;
      const base = superblockBase(fd, size);
      if (base !== undefined) return new RawFile(fd, size, base);
    } catch {
      // unreadable: h5wasm reports it
    }
    closeSync(fd);
    return undefined;
  }

  /** `length` bytes at `address`; throws Unsupported past the end of the file. */
  read(address: number, length: number): Buffer {
    return this.readInto(Buffer.allocUnsafe(length), address, length);
  }

  private readInto(buf: Buffer, address: number, length: number): Buffer {
    const at = this.base + address;
    if (!Number.isSafeInteger(at) || length < 0 || at + length > this.size) throw new Unsupported('past end of file');
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buf, got, length - got, at + got);
      if (n <= 0) throw new Unsupported('short read');
      got += n;
    }
    return buf.subarray(0, length);
  }

  /** Like read, into a buffer reused by the next call: for bytes the caller copies or decodes at once. */
  readScratch(address: number, length: number): Buffer {
    if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(Math.max(length, 2 * this.scratch.length));
    return this.readInto(this.scratch, address, length);
  }

  /** Up to `length` bytes at `address`, fewer at the end of the file. */
  readUpTo(address: number, length: number): Buffer {
    return this.read(address, Math.max(0, Math.min(length, this.size - this.base - address)));
  }

  close(): void {
    closeSync(this.fd);
  }
}

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Base address from the superblock (at 0, 512, 1024 … after a user block), if offsets and lengths are 8 bytes. */
function superblockBase(fd: number, size: number): number | undefined {
  const head = Buffer.alloc(48);
  for (let at = 0; at + 48 <= size && at <= 1 << 20; at = at === 0 ? 512 : at * 2) {
    readSync(fd, head, 0, 48, at);
    if (!head.subarray(0, 8).equals(SIGNATURE)) continue;
    const version = head[8]!;
    // v0/v1: sizes at 13-14, base at 24 (v0) or 28 (v1); v2/v3: sizes at 9-10, base at 12.
    const [offsets, lengths, baseAt] =
      version <= 1 ? [head[13]!, head[14]!, version === 0 ? 24 : 28] : [head[9]!, head[10]!, 12];
    if (version > 3 || offsets !== 8 || lengths !== 8) return undefined;
    const base = Number(head.readBigUInt64LE(baseAt));
    return base === at ? base : undefined;
  }
  return undefined;
}
