import type { DataSet, Element, Fragment } from 'dicom-parser';
import { SonoError } from '../../common/errors';
import { nativeFrameBytes, PIXEL_DATA, type PixelModule } from './pixelModule';

/** Sample values of one frame: 8-bit as stored, 16-bit already sign-extended or masked to Bits Stored. */
export type Samples = Uint8Array | Int32Array;

function pixelElement(ds: DataSet): Element {
  return ds.elements[PIXEL_DATA]!;
}

function truncated(): SonoError {
  return new SonoError('CORRUPT_FILE', 'The DICOM pixel data is shorter than the image size declares (truncated file?).');
}

/** Returns a reader for uncompressed frames; byte order and OW swapping are settled once here. */
export function nativeFrameReader(ds: DataSet, pm: PixelModule, bigEndian: boolean): (index: number) => Samples {
  const el = pixelElement(ds);
  const frameBytes = nativeFrameBytes(pm);
  const available = Math.min(el.length, ds.byteArray.length - el.dataOffset);
  if (available < frameBytes * pm.frames) throw truncated();
  let bytes = ds.byteArray.subarray(el.dataOffset, el.dataOffset + frameBytes * pm.frames);
  // PS3.5 §7.3: in Big Endian an OW value is a sequence of 16-bit words, so 8-bit samples stored as OW
  // arrive swapped pairwise; OB is a byte stream and is not swapped.
  if (bigEndian && pm.bitsAllocated === 8 && el.vr === 'OW') bytes = swapPairs(bytes);
  return (index) => {
    const frame = bytes.subarray(index * frameBytes, (index + 1) * frameBytes);
    return pm.bitsAllocated === 8 ? frame : widen16(frame, bigEndian, pm);
  };
}

function swapPairs(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i + 1 < src.length; i += 2) { out[i] = src[i + 1]!; out[i + 1] = src[i]!; }
  return out;
}

/** Reads 16-bit samples and keeps only Bits Stored (PS3.5 §8.1.1), sign-extending when Pixel Representation is 1. */
export function widen16(bytes: Uint8Array, bigEndian: boolean, pm: PixelModule): Int32Array {
  const n = bytes.length >> 1;
  const out = new Int32Array(n);
  const bits = pm.bitsStored;
  const mask = bits >= 16 ? 0xffff : (1 << bits) - 1;
  const signBit = 1 << (bits - 1);
  for (let i = 0; i < n; i++) {
    const v = bigEndian ? (bytes[2 * i]! << 8) | bytes[2 * i + 1]! : bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
    const m = v & mask;
    out[i] = pm.pixelRepresentation === 1 && (m & signBit) !== 0 ? m - (mask + 1) : m;
  }
  return out;
}

/**
 * Splits encapsulated pixel data (PS3.5 A.4) into one compressed stream per frame: by the Basic
 * Offset Table when present, else one fragment per frame, else by the codestream start markers that
 * begin each frame's first fragment (A.4: a frame may span fragments, a fragment holds one frame at most).
 */
export function encapsulatedFrames(ds: DataSet, pm: PixelModule): Uint8Array[] {
  const el = pixelElement(ds);
  const fragments = el.fragments ?? [];
  if (fragments.length === 0) throw new SonoError('CORRUPT_FILE', 'The compressed pixel data holds no fragments.');
  const bytes = ds.byteArray;
  for (const f of fragments) if (f.position + f.length > bytes.length) throw truncated();
  const groups = groupFragments(bytes, fragments, el.basicOffsetTable ?? [], pm.frames);
  if (groups.length !== pm.frames) {
    throw new SonoError('CORRUPT_FILE', `The compressed pixel data holds ${groups.length} frame(s); the header declares ${pm.frames}.`);
  }
  return groups.map((g) => concat(bytes, g));
}

function groupFragments(bytes: Uint8Array, fragments: Fragment[], bot: number[], frames: number): Fragment[][] {
  if (frames === 1) return [fragments];
  if (bot.length === frames && bot[0] === 0) {
    const groups: Fragment[][] = bot.map(() => []);
    for (const f of fragments) {
      let k = bot.length - 1;
      while (k > 0 && bot[k]! > f.offset) k--;
      groups[k]!.push(f);
    }
    if (groups.every((g) => g.length > 0)) return groups;
  }
  if (fragments.length === frames) return fragments.map((f) => [f]);
  const groups: Fragment[][] = [];
  for (const f of fragments) {
    if (startsCodestream(bytes, f.position) || groups.length === 0) groups.push([f]);
    else groups[groups.length - 1]!.push(f);
  }
  return groups;
}

/** JPEG, JPEG-LS and JPEG lossless start with SOI (FFD8); a JPEG 2000 codestream with SOC+SIZ (FF4F FF51). */
function startsCodestream(b: Uint8Array, p: number): boolean {
  if (b[p] === 0xff && b[p + 1] === 0xd8 && b[p + 2] === 0xff) return true;
  return b[p] === 0xff && b[p + 1] === 0x4f && b[p + 2] === 0xff && b[p + 3] === 0x51;
}

function concat(bytes: Uint8Array, group: Fragment[]): Uint8Array {
  if (group.length === 1) return bytes.subarray(group[0]!.position, group[0]!.position + group[0]!.length);
  const total = group.reduce((s, f) => s + f.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const f of group) { out.set(bytes.subarray(f.position, f.position + f.length), at); at += f.length; }
  return out;
}
