import type { File } from 'h5wasm/node';
import type { H5Module } from '../../h5.js';
import { HeaderAttributes } from './attributes.js';
import { directDataset, type DirectDataset } from './chunk-reader.js';
import { headerMessages } from './object-header.js';
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

/** A group's or dataset's attributes from its header (null inside when stored densely), or null when the header is not one the fast path reads. */
export function openObject(
  module: H5Module,
  file: File,
  raw: RawFile,
  path: string,
): { attrs: HeaderAttributes | null; group: boolean } | null {
  try {
    const messages = headerMessages(raw, headerAddress(module, file, path));
    const has = (type: number) => messages.some((m) => m.type === type);
    // Symbol table (0x11) or link info / links (0x02, 0x06) make a group; a layout (0x08) a dataset.
    const group = !has(0x08) && (has(0x11) || has(0x02) || has(0x06));
    return { attrs: HeaderAttributes.of(messages, raw), group };
  } catch {
    return null;
  }
}

/** An object reference (hobj_ref_t) is the address of the object's header; throws when there is no such object. */
function headerAddress(module: H5Module, file: File, path: string): number {
  const ref = module.create_object_reference(file.file_id, path) as ArrayLike<number>;
  return Number(Buffer.from(Array.from(ref)).readBigUInt64LE(0));
}
