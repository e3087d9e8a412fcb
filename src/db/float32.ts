/** Samples as little-endian float32 bytes (the bytea layout of every sample column). */
export function toFloat32Bytes(x: ArrayLike<number>): Buffer {
  const f = Float32Array.from(x as ArrayLike<number>);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength);
}

/** Back from bytea; copies so the array is aligned whatever the driver's buffer offset is. */
export function fromFloat32Bytes(b: Uint8Array): Float32Array {
  const out = new Float32Array(b.byteLength >> 2);
  new Uint8Array(out.buffer).set(b.subarray(0, out.byteLength));
  return out;
}
