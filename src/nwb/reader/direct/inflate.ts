import zlib from 'node:zlib';

/**
 * zlib streams inflated into one reused output buffer through a single zlib engine, reset
 * between chunks. inflateSync builds and frees an engine and allocates a fresh output per chunk:
 * 2560 chunks (168 MB) for the 102 MB bench file, 0.215 against 0.183 CPU s here (micro-bench),
 * plus the collector's work on the buffers. This goes through the engine's handle (Node's own
 * internals, `writeSync` as inflateSync itself calls it); when that is not there or misbehaves,
 * inflateSync does the work, so a Node that changes it is slower, not wrong.
 */
interface Handle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
}

let engine: { handle: Handle; state: Uint32Array; failed: string | undefined } | null | undefined;
let output = Buffer.allocUnsafe(1 << 16);

function reusable(): typeof engine {
  if (engine !== undefined) return engine;
  try {
    const z = new zlib.Inflate() as unknown as { _handle?: Handle; _writeState?: Uint32Array };
    const handle = z._handle;
    const state = z._writeState;
    if (
      !handle ||
      typeof handle.writeSync !== 'function' ||
      typeof handle.reset !== 'function' ||
      !(state instanceof Uint32Array)
    )
      return (engine = null);
    const e = { handle, state, failed: undefined as string | undefined };
    // Our own error report (the stream's would destroy it): a bad stream, e.g. a failed adler32 check.
    handle.onerror = (message: string) => {
      e.failed = message;
    };
    return (engine = e);
  } catch {
    return (engine = null);
  }
}

/**
 * Inflates one complete zlib stream that must give exactly `size` bytes. The result is valid
 * until the next call (the caller copies or widens it at once); throws on a bad stream or size.
 */
export function inflateExactly(input: Uint8Array, size: number): Uint8Array {
  const e = reusable();
  if (!e) return checked(zlib.inflateSync(input, { chunkSize: size + 64, maxOutputLength: size }), size);
  // One byte of room past `size`: a stream with more in it fills it and fails the size check.
  if (output.length < size + 1) output = Buffer.allocUnsafe(Math.max(size + 1, 2 * output.length));
  // A second deflate in one pipeline would read the buffer it writes.
  if (input.buffer === output.buffer) input = input.slice();
  e.failed = undefined;
  try {
    e.handle.writeSync(zlib.constants.Z_FINISH, input, 0, input.length, output, 0, size + 1);
  } finally {
    e.handle.reset();
  }
  if (e.failed !== undefined) throw new Error(`inflate: ${e.failed}`);
  const produced = size + 1 - e.state[0]!;
  // Input left over, or too few bytes: not one stream of this chunk's size.
  if (e.state[1] !== 0 || produced !== size) throw new Error(`inflate: ${produced} bytes, expected ${size}`);
  return output.subarray(0, size);
}

function checked(data: Uint8Array, size: number): Uint8Array {
  if (data.length !== size) throw new Error(`inflate: ${data.length} bytes, expected ${size}`);
  return data;
}
