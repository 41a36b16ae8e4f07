import { decode as decodeBmpTs } from 'bmp-ts';
import type { Frame } from '../../common/image';
import { SonoError } from '../../common/errors';
import { checkDimensions, type Limits } from '../limits';

export interface DecodedRaster {
  frame: Frame;
  format: string;
}

/**
 * BMP through bmp-ts (libvips, hence sharp, has no BMP loader). The header is read here first so the
 * declared size is checked before bmp-ts allocates width × height × 4 bytes.
 */
export function decodeBmp(bytes: Uint8Array, limits: Limits): DecodedRaster {
  if (bytes.length < 30) throw new SonoError('CORRUPT_FILE', 'The BMP file is truncated.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getInt32(18, true);
  const height = Math.abs(view.getInt32(22, true)); // negative height = top-down rows
  const bitsPerPixel = view.getUint16(28, true);
  checkDimensions(width, height, 1, limits);
  let bmp;
  try {
    bmp = decodeBmpTs(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new SonoError('CORRUPT_FILE', 'The BMP file is damaged or uses an unsupported variant.', { cause: e });
  }
  // bmp-ts writes ABGR per pixel whatever the bit depth (its toRGBA option is ignored by some paths).
  const gray = bitsPerPixel <= 8 && bmp.palette.every((c) => c.red === c.green && c.green === c.blue);
  const n = width * height;
  const out = new Uint8Array(n * (gray ? 1 : 3));
  const src = bmp.data;
  if (src.length < n * 4) throw new SonoError('CORRUPT_FILE', 'The BMP file is truncated.');
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    if (gray) out[i] = src[j + 3]!;
    else {
      out[3 * i] = src[j + 3]!;
      out[3 * i + 1] = src[j + 2]!;
      out[3 * i + 2] = src[j + 1]!;
    }
  }
  return {
    frame: { width, height, channels: gray ? 1 : 3, data: out },
    format: `BMP ${bitsPerPixel}-bit${gray ? ' gray' : ''}`,
  };
}
