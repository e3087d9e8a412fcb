import type { File } from 'h5wasm/node';
import type { H5Module } from '../../h5.js';
import { directDataset, type DirectDataset } from './chunk-reader.js';
import type { RawFile } from './raw-file.js';

/** The direct reader of the dataset at `path`, or null when its layout is one only h5wasm reads. */
export function openDirect(module: H5Module, file: File, raw: RawFile, path: string): DirectDataset | null {
  try {
    // An object reference (hobj_ref_t) is the address of the object's header.
    const ref = module.create_object_reference(file.file_id, path) as ArrayLike<number>;
    const address = Number(Buffer.from(Array.from(ref)).readBigUInt64LE(0));
    return directDataset(raw, address);
  } catch {
    return null;
  }
}
