/**
 * 1-bit pixel packing for BINARY segmentations, PS3.5 8.1.1 (Bits Allocated = 1): pixels are
 * packed eight to a byte, the first pixel in the least significant bit; consecutive frames follow
 * on without padding to a byte boundary, and the whole value is padded to an even length
 * (PS3.5 7.1.1: every value field has an even length).
 */
export function packBits(pixels: Uint8Array): Uint8Array {
  const byteCount = Math.ceil(pixels.length / 8);
  const out = new Uint8Array(byteCount + (byteCount % 2));
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i] !== 0) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

/** The inverse of packBits: `count` pixels of 0/1 starting at pixel `offset` of the packed stream. */
export function unpackBits(packed: Uint8Array, count: number, offset = 0): Uint8Array {
  if (Math.ceil((offset + count) / 8) > packed.length) {
    throw new RangeError(`packed data holds ${packed.length * 8} pixels, need ${offset + count}`);
  }
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = offset + i;
    out[i] = (packed[bit >> 3]! >> (bit & 7)) & 1;
  }
  return out;
}
