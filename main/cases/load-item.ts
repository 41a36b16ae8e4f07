import * as fs from 'node:fs/promises';
import sharp from 'sharp';
import { SonoError } from '../common/errors';
import { DEFAULT_LIMITS } from '../imaging/limits';
import { decodeBmp } from '../imaging/raster/bmp';
import { toGray, type GrayImage, type Mask } from '../common/image';
import type { DatasetItem } from './dataset-item';

export interface LoadedItem {
  image: GrayImage;
  mask: Mask;
}

/**
 * Decodes one item: the image as 8-bit grey, the mask as the union of its mask files (BUSI masks
 * come as 1-bit grey, RGB and opaque RGBA; other sets as 0/1, colour or JPEG: see markLesion).
 */
export async function loadItem(item: DatasetItem): Promise<LoadedItem> {
  const image = await loadImage(item.imagePath);
  const data = new Uint8Array(image.width * image.height);
  for (const file of item.maskPaths) {
    const m = await decodeRgb(file);
    if (m.width !== image.width || m.height !== image.height) {
      throw new SonoError('DATASET_INVALID',
        `${item.id}: the mask ${baseName(file)} is ${m.width}×${m.height} but the image is ${image.width}×${image.height}.`);
    }
    markLesion(m.data, data);
  }
  return { image, mask: { width: image.width, height: image.height, data } };
}

/** Decodes one image file as 8-bit grey, as loadItem does. */
export async function loadImage(file: string): Promise<GrayImage> {
  const rgb = await decodeRgb(file);
  // the same BT.601 luma main/imaging applies to colour frames, so training sees what inference sees
  return toGray({ width: rgb.width, height: rgb.height, channels: 3, data: rgb.data });
}

/**
 * Marks (sets to 1) the lesion pixels of one mask file in `into`: a pixel is lesion when its brightest
 * channel reaches half the file's brightest value. For the 0/255 masks of BUSI and the 0/1 masks some
 * sets store, this is exactly "any non-zero channel"; lossy JPEG masks and anti-aliased edges, whose
 * faint noise would otherwise count as lesion (about 5 % of a lesion's area at JPEG quality 75), are
 * cut at the midpoint instead. An all-black file marks nothing.
 */
export function markLesion(rgb: Uint8Array, into: Uint8Array): void {
  let top = 0;
  for (let j = 0; j < rgb.length; j++) if (rgb[j]! > top) top = rgb[j]!;
  if (top === 0) return;
  for (let i = 0, j = 0; i < into.length; i++, j += 3) {
    const v = Math.max(rgb[j]!, rgb[j + 1]!, rgb[j + 2]!);
    if (2 * v >= top) into[i] = 1;
  }
}

/** Any supported file as 8-bit sRGB without alpha (grey, palette and 1-bit PNGs expanded; BMP through main/imaging). */
async function decodeRgb(file: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  if (file.toLowerCase().endsWith('.bmp')) return decodeBmpRgb(file);
  try {
    const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (e) {
    throw new SonoError('CORRUPT_FILE', `${baseName(file)} could not be decoded: ${(e as Error).message}`, { cause: e });
  }
}

async function decodeBmpRgb(file: string): Promise<{ width: number; height: number; data: Uint8Array }> {
  let frame;
  try {
    frame = decodeBmp(await fs.readFile(file), DEFAULT_LIMITS).frame;
  } catch (e) {
    throw new SonoError('CORRUPT_FILE', `${baseName(file)} could not be decoded: ${(e as Error).message}`, { cause: e });
  }
  if (frame.channels === 3) return frame;
  const data = new Uint8Array(frame.width * frame.height * 3);
  for (let i = 0; i < frame.data.length; i++) data.fill(frame.data[i]!, 3 * i, 3 * i + 3);
  return { width: frame.width, height: frame.height, data };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
