import { HeaderAttributes } from './attributes.js';
import { dimsOf, numberAt } from './datatype.js';
import { headerMessages } from './object-header.js';
import { Unsupported, type RawFile } from './raw-file.js';

const DATASPACE = 0x01;
const DATATYPE = 0x03;
const LAYOUT = 0x08;

/**
 * A one-number dataset (a series' starting_time) and its attributes, from its header: stored
 * compact (in the layout message) or contiguous. Throws Unsupported for anything else.
 */
export function scalarDataset(file: RawFile, address: number): { value: number; attrs: HeaderAttributes | null } {
  const messages = headerMessages(file, address);
  const one = (type: number) => {
    const found = messages.filter((m) => m.type === type);
    if (found.length !== 1 || found[0]!.flags & 0x02) throw new Unsupported(`message ${type}`);
    return found[0]!.body;
  };
  if (dimsOf(one(DATASPACE), true).some((d) => d !== 1)) throw new Unsupported('not one number');
  const type = one(DATATYPE);
  const layout = one(LAYOUT);
  if (layout[0] !== 3 && layout[0] !== 4) throw new Unsupported('layout version');
  const size = type.readUInt32LE(4);
  let data: Buffer;
  if (layout[1] === 0) data = layout.subarray(4, 4 + layout.readUInt16LE(2));
  else if (layout[1] === 1) {
    const at = layout.readBigUInt64LE(2);
    if (at === 0xffffffffffffffffn) throw new Unsupported('no storage');
    data = file.read(Number(at), size);
  } else throw new Unsupported('layout class');
  if (data.length < size) throw new Unsupported('short data');
  return { value: numberAt(type, data, 0), attrs: HeaderAttributes.of(messages, file) };
}
