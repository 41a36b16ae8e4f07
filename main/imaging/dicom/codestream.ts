/**
 * Reads the image size a compressed codestream declares, without decoding it, so a frame whose
 * stream claims a size different from the DICOM header (or an absurd one) is refused before any
 * codec allocates for it.
 */
export function codestreamSize(bytes: Uint8Array): { width: number; height: number; precision: number } | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0x4f) return j2kSize(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  return undefined;
}

/** JPEG (ISO 10918-1 B.2.2) and JPEG-LS (ISO 14495-1, SOF55 = FFF7): height then width after precision. */
function jpegSize(b: Uint8Array): { width: number; height: number; precision: number } | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) { i++; continue; }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    const isSof = (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xf7;
    if (isSof) return { precision: b[i + 4]!, height: (b[i + 5]! << 8) | b[i + 6]!, width: (b[i + 7]! << 8) | b[i + 8]! };
    if (marker === 0xda) return undefined;
    i += 2 + len;
  }
  return undefined;
}

/** JPEG 2000 SIZ segment (ISO 15444-1 A.5.1): image extent minus origin offset. */
function j2kSize(b: Uint8Array): { width: number; height: number; precision: number } | undefined {
  if (b.length < 24 || b[2] !== 0xff || b[3] !== 0x51) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const xsiz = v.getUint32(8), ysiz = v.getUint32(12), x0 = v.getUint32(16), y0 = v.getUint32(20);
  // Ssiz of the first component (A.5.1): bit depth minus one in the low 7 bits.
  const precision = b.length > 42 ? (b[42]! & 0x7f) + 1 : 8;
  return { width: xsiz - x0, height: ysiz - y0, precision };
}
