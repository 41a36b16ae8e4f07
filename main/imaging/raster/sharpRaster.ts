import sharp from 'sharp';
import type { Frame } from '../../common/image';
import { SonoError } from '../../common/errors';
import { checkDimensions, type Limits } from '../limits';
import { minMax, stretchToByte } from '../intensity';
import type { DecodedRaster } from './bmp';

const WIDE_DEPTHS = new Set(['ushort', 'short', 'uint', 'int', 'float', 'double']);

/**
 * PNG, JPEG, TIFF, WebP, GIF through sharp (libvips). Frames come out 8-bit: gray images keep one
 * channel, colour becomes RGB. Alpha is composited over black, the background of ultrasound screens,
 * so transparent margins do not turn into bright borders. Only the first page of a multi-page file is read.
 */
export async function decodeWithSharp(bytes: Uint8Array, limits: Limits): Promise<DecodedRaster> {
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const make = () => sharp(input, { limitInputPixels: limits.maxWidth * limits.maxHeight, failOn: 'error' });
  let meta: sharp.Metadata;
  try {
    meta = await make().metadata();
  } catch (e) {
    throw new SonoError('CORRUPT_FILE', 'The image header could not be read; the file is damaged.', { cause: e });
  }
  checkDimensions(meta.width ?? 0, meta.height ?? 0, 1, limits);
  const gray = meta.space === 'b-w' || meta.space === 'grey16' || meta.channels === 1 ||
    (meta.channels === 2 && meta.hasAlpha === true);
  const wide = WIDE_DEPTHS.has(meta.depth ?? 'uchar');
  const kind = (meta.format ?? 'image').toUpperCase();
  const pages = (meta.pages ?? 1) > 1 ? `, page 1 of ${meta.pages}` : '';
  try {
    if (gray && wide) {
      const frame = await decodeWideGray(make(), meta.hasAlpha === true);
      return { frame, format: `${kind} ${bitsOf(meta.depth)}-bit gray, scaled to 8-bit by the image's min/max${pages}` };
    }
    let pipe = make();
    if (meta.hasAlpha) pipe = pipe.flatten({ background: { r: 0, g: 0, b: 0 } });
    pipe = gray ? pipe.toColourspace('b-w') : pipe.toColourspace('srgb').removeAlpha();
    const { data, info } = await pipe.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const channels = info.channels === 1 ? 1 : 3;
    const frame: Frame = { width: info.width, height: info.height, channels, data: new Uint8Array(data) };
    const alpha = meta.hasAlpha ? ', alpha composited over black' : '';
    const palette = meta.isPalette ? ' palette' : '';
    return { frame, format: `${kind}${palette} ${bitsOf(meta.depth)}-bit ${gray ? 'gray' : 'colour'}${alpha}${pages}` };
  } catch (e) {
    if (e instanceof SonoError) throw e;
    throw new SonoError('CORRUPT_FILE', `The ${kind} image data is damaged and could not be decoded.`, { cause: e });
  }
}

/** 16-bit (or wider) gray: stretched to 8-bit by the image's own min/max, since there is no window to read. */
async function decodeWideGray(pipe: sharp.Sharp, hasAlpha: boolean): Promise<Frame> {
  if (hasAlpha) pipe = pipe.flatten({ background: 0 });
  const { data, info } = await pipe.toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const all = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const values = info.channels === 1 ? all : all.filter((_, i) => i % info.channels === 0);
  if (values.length !== n) throw new SonoError('CORRUPT_FILE', 'The image data is shorter than its header declares.');
  const { min, max } = minMax(values);
  return { width: info.width, height: info.height, channels: 1, data: stretchToByte(values, min, max) };
}

function bitsOf(depth: string | undefined): number {
  if (depth === 'ushort' || depth === 'short') return 16;
  if (depth === 'uint' || depth === 'int' || depth === 'float') return 32;
  if (depth === 'double') return 64;
  return 8;
}
