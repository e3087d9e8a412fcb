import type { Dataset, Group } from 'h5wasm/node';
import { Prng } from '../../util/prng.js';

/** Typing attributes every NWB object carries; object_id comes from a seeded stream for reproducible files. */
export function typed(obj: Group | Dataset, neurodataType: string, namespace: 'core' | 'hdmf-common', ids: Prng): void {
  obj.create_attribute('namespace', namespace);
  obj.create_attribute('neurodata_type', neurodataType);
  obj.create_attribute('object_id', ids.uuid());
}

export function scalarString(group: Group, name: string, value: string): Dataset {
  return group.create_dataset({ name, data: value });
}

export function float32Attr(obj: Group | Dataset, name: string, value: number): void {
  obj.create_attribute(name, value, [], '<f');
}

/** 1-D series data: chunked (≤ 16k samples) and gzip-compressed like hdmf's H5DataIO(compression='gzip'). */
export function seriesData(group: Group, values: Float32Array, level: number): Dataset {
  const n = values.length;
  const chunk = Math.max(1, Math.min(n, 16384));
  return group.create_dataset({
    name: 'data',
    data: values,
    chunks: [chunk],
    ...(level > 0 ? { compression: 'gzip' as const, compression_opts: level } : {}),
  });
}

export function idPrng(seed: number | undefined, label: string): Prng {
  return new Prng(`${seed ?? 0}:${label}`);
}

/**
 * HDF5 stamps every object header with the wall clock and h5wasm has no track_times switch,
 * so two writes a second apart differ. The wasm clock reads Date.now(); pin it for the
 * (synchronous) write so the same input gives a byte-identical file.
 */
export function withFixedClock<T>(epochMs: number, write: () => T): T {
  const realNow = Date.now;
  Date.now = () => epochMs;
  try {
    return write();
  } finally {
    Date.now = realNow;
  }
}
