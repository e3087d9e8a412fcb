import type { File } from 'h5wasm/node';
import type { H5Module } from '../../h5.js';
import type { HeaderAttributes } from './attributes.js';
import { directDataset, type DirectDataset } from './chunk-reader.js';
import type { RawFile } from './raw-file.js';
import { scalarDataset } from './scalar.js';

/** The direct reader of the dataset at `path`, or null when its layout is one only h5wasm reads. */
export function openDirect(module: H5Module, file: File, raw: RawFile, path: string): DirectDataset | null {
  try {
    return directDataset(raw, headerAddress(module, file, path));
  } catch {
    return null;
  }
}

/** A one-number dataset's value and attributes read from its header, or null (missing, or not plainly stored). */
export function openScalar(
  module: H5Module,
  file: File,
  raw: RawFile,
  path: string,
): { value: number; attrs: HeaderAttributes | null } | null {
  try {
    return scalarDataset(raw, headerAddress(module, file, path));
  } catch {
    return null;
  }
}

/** An object reference (hobj_ref_t) is the address of the object's header; throws when there is no such object. */
function headerAddress(module: H5Module, file: File, path: string): number {
  const ref = module.create_object_reference(file.file_id, path) as ArrayLike<number>;
  return Number(Buffer.from(Array.from(ref)).readBigUInt64LE(0));
}
