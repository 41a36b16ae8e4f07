/**
 * Recognises an input's format from its first bytes, never from its file name: files from PACS
 * exports often have no extension, and a renamed file must not be decoded with the wrong reader.
 */
export type SniffedFormat = 'dicom' | 'png' | 'jpeg' | 'bmp' | 'tiff' | 'webp' | 'gif' | 'unknown';

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  return sig.every((b, i) => bytes[at + i] === b);
}

const DICM = [0x44, 0x49, 0x43, 0x4d];

/** DICOM Part 10 file: 128-byte preamble then "DICM" (PS3.10 §7.1). */
export function hasDicmPrefix(bytes: Uint8Array): boolean {
  return startsWith(bytes, DICM, 128);
}

/**
 * A data set written without the Part 10 preamble (old ACR-NEMA style exports, some raw dumps).
 * We accept it when it opens with a group 0002 or 0008 element whose tag is plausible, which is how
 * such files start in practice (PS3.5 §7.1: elements are in ascending tag order).
 */
export function preamblelessSyntax(bytes: Uint8Array): 'meta' | 'explicit' | 'implicit' | undefined {
  if (bytes.length < 12) return undefined;
  const group = bytes[0]! | (bytes[1]! << 8);
  const element = bytes[2]! | (bytes[3]! << 8);
  if (group !== 0x0002 && group !== 0x0008) return undefined;
  if (element > 0x00ff) return undefined;
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  const explicit = /^[A-Z]{2}$/.test(vr);
  if (group === 0x0002) return explicit ? 'meta' : undefined;
  if (explicit) return 'explicit';
  // Implicit VR: a 32-bit length follows the tag; a real first element is short.
  const len = bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24);
  return len >= 0 && len < 1024 ? 'implicit' : undefined;
}

export function isDicom(bytes: Uint8Array): boolean {
  return hasDicmPrefix(bytes) || preamblelessSyntax(bytes) !== undefined;
}

export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (isDicom(bytes)) return 'dicom';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.length >= 26) return 'bmp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  return 'unknown';
}
