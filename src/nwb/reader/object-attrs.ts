import { Group } from 'h5wasm/node';
import { openObject } from './direct/index.js';
import { attrNumber, attrString } from './h5-read.js';
import type { SeriesContext } from './series.js';

/** An object's existence, kind and attributes: from its header when the fast path reads it, else h5wasm. */
export interface ObjectAttrs {
  exists: boolean;
  isGroup: boolean;
  string(name: string): string | undefined;
  number(name: string): number | undefined;
}

/** Each path is looked at once per file: series groups are visited by several steps of the index. */
export function objectAttrs(ctx: SeriesContext, path: string): ObjectAttrs {
  ctx.objects ??= new Map();
  let found = ctx.objects.get(path);
  if (!found) {
    found = look(ctx, path);
    ctx.objects.set(path, found);
  }
  return found;
}

function look(ctx: SeriesContext, path: string): ObjectAttrs {
  const { module, file } = ctx;
  const plain = ctx.raw ? openObject(module, file, ctx.raw, path) : null;
  if (plain) {
    // get_attribute only needs the file and the path, whichever class holds them.
    const h5 = new Group(file.file_id, path);
    const { attrs } = plain;
    return {
      exists: true,
      isGroup: plain.group,
      string: (name) => {
        const v = attrs ? attrs.string(name) : null;
        return v === null ? attrString(module, h5, name) : v;
      },
      number: (name) => {
        const v = attrs ? attrs.number(name) : null;
        return v === null ? attrNumber(module, h5, name) : v;
      },
    };
  }
  const obj = file.get(path) as Group | undefined;
  return {
    exists: Boolean(obj),
    isGroup: obj instanceof Group,
    string: (name) => (obj ? attrString(module, obj, name) : undefined),
    number: (name) => (obj ? attrNumber(module, obj, name) : undefined),
  };
}
