import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import type { Dataset, File, Group } from 'h5wasm/node';
import type { H5Module } from '../h5.js';
import { NwbFormatError } from '../errors.js';

/**
 * Attribute value or undefined when absent. A missing attribute costs one caught HDF5 error,
 * cheaper than listing the names first (each name listing is a full header walk).
 */
export function attr(_module: H5Module, obj: Group | Dataset, name: string): unknown {
  let v: unknown;
  try {
    v = obj.get_attribute(name, false);
  } catch {
    return undefined;
  }
  return Array.isArray(v) && v.length === 1 && typeof v[0] !== 'object' ? v[0] : v;
}

export function attrString(module: H5Module, obj: Group | Dataset, name: string): string | undefined {
  const v = attr(module, obj, name);
  return typeof v === 'string' ? v : undefined;
}

/** Numbers, bigints (uint64 sweep numbers) and 1-element arrays all become a JS number. */
export function attrNumber(module: H5Module, obj: Group | Dataset, name: string): number | undefined {
  const v = attr(module, obj, name);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number | bigint>).length === 1)
    return Number((v as unknown as ArrayLike<number | bigint>)[0]);
  return undefined;
}

/** Float32 attributes (conversion, rate) carry float noise: 1e-3 reads back as 0.0010000000475. */
export function tidyFloat32(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(7));
}

export function isGroup(x: unknown, module: H5Module, file: File, path: string): x is Group {
  return module.get_type(file.file_id, path) === module.H5G_GROUP;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5 puts its signature at 0, 512, 1024, 2048 … (after a user block); check before handing the file to libhdf5. */
export function assertHdf5Signature(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new NwbFormatError(path, `cannot open file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(8);
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      readSync(fd, buf, 0, 8, at);
      if (SIGNATURE.every((b, i) => buf[i] === b)) return;
      if (at > 1 << 20) break;
    }
    throw new NwbFormatError(path, size === 0 ? 'empty file, not HDF5' : 'not an HDF5 file (no HDF5 signature)');
  } finally {
    closeSync(fd);
  }
}

/** The useful line of an HDF5-DIAG message (e.g. "truncated file: eof = …"). */
export function hdf5Reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const truncated = /truncated file[^\n]*/.exec(text);
  if (truncated) return truncated[0].trim();
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const detail = lines.filter((l) => /^#\d+:/.test(l)).pop();
  return (detail ? detail.replace(/^#\d+:\s*\S+\s+line \d+ in /, '') : (lines[0] ?? 'unknown HDF5 error')).slice(
    0,
    300,
  );
}
