import type { DataSet } from 'dicom-parser';
import { SonoError } from '../../common/errors';

/** An 8-bit RGB palette resolved from the Palette Color Lookup Tables (PS3.3 C.7.6.3.1.5, C.7.9). */
export interface Palette {
  firstMapped: number;
  red: Uint8Array;
  green: Uint8Array;
  blue: Uint8Array;
}

const CHANNELS = [
  ['x00281101', 'x00281201', 'x00281221'],
  ['x00281102', 'x00281202', 'x00281222'],
  ['x00281103', 'x00281203', 'x00281223'],
] as const;

export function readPalette(ds: DataSet, pixelRepresentation: 0 | 1): Palette {
  const luts = CHANNELS.map(([desc, data, segmented]) => readLut(ds, desc, data, segmented));
  // The first mapped value is US or SS following Pixel Representation (C.7.6.3.1.5).
  let first = ds.uint16(CHANNELS[0][0], 1) ?? 0;
  if (pixelRepresentation === 1 && first > 0x7fff) first -= 0x10000;
  return { firstMapped: first, red: luts[0]!, green: luts[1]!, blue: luts[2]! };
}

function readLut(ds: DataSet, descTag: string, dataTag: string, segTag: string): Uint8Array {
  const count = ds.uint16(descTag, 0);
  const bits = ds.uint16(descTag, 2);
  if (count === undefined || bits === undefined) throw new SonoError('CORRUPT_FILE', 'A PALETTE COLOR image lacks its lookup table descriptor.');
  const entries = count === 0 ? 65536 : count; // C.7.6.3.1.5: 0 means 2^16 entries
  const plain = ds.elements[dataTag];
  const seg = ds.elements[segTag];
  let values: number[];
  if (plain) values = readWords(ds, dataTag, bits, entries);
  else if (seg) values = expandSegmented(readWords(ds, segTag, 16, seg.length >> 1), entries);
  else throw new SonoError('CORRUPT_FILE', 'A PALETTE COLOR image lacks its lookup table data.');
  const out = new Uint8Array(entries);
  // 16-bit entries keep their top 8 bits; some writers declare 16 bits but store 8-bit values.
  const max = values.reduce((m, v) => (v > m ? v : m), 0);
  const shift = bits > 8 && max > 255 ? bits - 8 : 0;
  for (let i = 0; i < entries; i++) out[i] = (values[Math.min(i, values.length - 1)] ?? 0) >> shift;
  return out;
}

/** LUT data is OW; 8-bit entries are packed one per byte in practice (as pydicom and dcmtk read them). */
function readWords(ds: DataSet, tag: string, bits: number, entries: number): number[] {
  const el = ds.elements[tag]!;
  const out: number[] = [];
  if (bits === 8 && el.length === entries) {
    for (let i = 0; i < entries; i++) out.push(ds.byteArray[el.dataOffset + i]!);
    return out;
  }
  const n = Math.min(entries, el.length >> 1);
  for (let i = 0; i < n; i++) out.push(ds.uint16(tag, i) ?? 0);
  return out;
}

/** Segmented palette LUT, PS3.3 C.7.9.2: opcodes 0 discrete, 1 linear, 2 indirect. */
export function expandSegmented(data: number[], entries: number): number[] {
  const lut: number[] = [];
  expandInto(data, 0, Infinity, lut, entries, 0);
  if (lut.length === 0) throw new SonoError('CORRUPT_FILE', 'The segmented palette lookup table is empty.');
  return lut;
}

function expandInto(data: number[], start: number, segments: number, lut: number[], limit: number, depth: number): void {
  let i = start;
  for (let s = 0; s < segments && i + 1 < data.length && lut.length < limit; s++) {
    const op = data[i]!;
    const len = data[i + 1]!;
    if (op === 0) {
      for (let k = 0; k < len && lut.length < limit; k++) lut.push(data[i + 2 + k] ?? 0);
      i += 2 + len;
    } else if (op === 1) {
      const y0 = lut[lut.length - 1] ?? 0;
      const y1 = data[i + 2] ?? 0;
      for (let k = 1; k <= len && lut.length < limit; k++) lut.push(Math.round(y0 + ((y1 - y0) * k) / len));
      i += 3;
    } else if (op === 2 && depth < 4) {
      // The offset counts 16-bit words from the start of the segmented data (low word first).
      const offset = (data[i + 2] ?? 0) | ((data[i + 3] ?? 0) << 16);
      expandInto(data, offset, len, lut, limit, depth + 1);
      i += 4;
    } else {
      throw new SonoError('CORRUPT_FILE', 'The segmented palette lookup table has an invalid segment.');
    }
  }
}

/** Maps palette indices to RGB; values outside the table take its first or last entry (C.7.6.3.1.5). */
export function applyPalette(indices: ArrayLike<number>, p: Palette): Uint8Array {
  const n = indices.length;
  const out = new Uint8Array(n * 3);
  const last = p.red.length - 1;
  for (let i = 0; i < n; i++) {
    let k = indices[i]! - p.firstMapped;
    k = k < 0 ? 0 : k > last ? last : k;
    out[3 * i] = p.red[k]!;
    out[3 * i + 1] = p.green[k]!;
    out[3 * i + 2] = p.blue[k]!;
  }
  return out;
}
