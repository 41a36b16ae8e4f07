import { SonoError } from '../../common/errors';

/**
 * DICOM RLE Lossless (1.2.840.10008.1.2.5), PS3.5 Annex G. No maintained npm package decodes it on its
 * own, and the format is small: a 64-byte header of up to 15 segment offsets (G.5), then one PackBits
 * segment per byte plane, ordered sample by sample, most significant byte first (G.2).
 * Returns samples interleaved by pixel (colour-by-pixel), whatever the data set's Planar Configuration.
 */
export function decodeRle(
  encoded: Uint8Array, width: number, height: number, samplesPerPixel: number, bitsAllocated: 8 | 16,
): Uint8Array | Uint16Array {
  const pixels = width * height;
  const bytesPerSample = bitsAllocated / 8;
  const expected = samplesPerPixel * bytesPerSample;
  const offsets = readHeader(encoded, expected);
  const out = bitsAllocated === 8 ? new Uint8Array(pixels * samplesPerPixel) : new Uint16Array(pixels * samplesPerPixel);
  const plane = new Uint8Array(pixels);
  for (let seg = 0; seg < expected; seg++) {
    const end = seg + 1 < offsets.length ? offsets[seg + 1]! : encoded.length;
    unpackBits(encoded, offsets[seg]!, end, plane);
    const sample = Math.floor(seg / bytesPerSample);
    // G.2: the first segment of a sample holds its most significant byte.
    const shift = 8 * (bytesPerSample - 1 - (seg % bytesPerSample));
    for (let p = 0, o = sample; p < pixels; p++, o += samplesPerPixel) out[o] = out[o]! | (plane[p]! << shift);
  }
  return out;
}

function readHeader(encoded: Uint8Array, expectedSegments: number): number[] {
  if (encoded.length < 64) throw new SonoError('CORRUPT_FILE', 'The RLE frame is shorter than its 64-byte header.');
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const count = view.getUint32(0, true);
  if (count !== expectedSegments) {
    throw new SonoError('CORRUPT_FILE', `The RLE frame has ${count} segments; the image needs ${expectedSegments}.`);
  }
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    const off = view.getUint32(4 + 4 * i, true);
    const prev = offsets[i - 1] ?? 63;
    if (off < 64 || off > encoded.length || off <= prev) throw new SonoError('CORRUPT_FILE', 'The RLE segment table is invalid.');
    offsets.push(off);
  }
  return offsets;
}

/** PackBits (G.3.1): n in 0..127 copies n+1 literal bytes, −127..−1 repeats the next byte 1−n times, −128 is a no-op. */
function unpackBits(src: Uint8Array, start: number, end: number, dst: Uint8Array): void {
  let i = start;
  let o = 0;
  while (i < end && o < dst.length) {
    const n = (src[i++]! << 24) >> 24;
    if (n >= 0) {
      const count = Math.min(n + 1, end - i, dst.length - o);
      dst.set(src.subarray(i, i + count), o);
      i += n + 1;
      o += count;
    } else if (n !== -128) {
      const count = Math.min(1 - n, dst.length - o);
      dst.fill(src[i++]!, o, o + count);
      o += count;
    }
  }
  if (o < dst.length) throw new SonoError('CORRUPT_FILE', 'An RLE segment ends before the frame is complete.');
}
