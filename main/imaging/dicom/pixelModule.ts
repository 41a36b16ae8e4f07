import type { DataSet } from 'dicom-parser';
import { SonoError } from '../../common/errors';
import { checkDimensions, type Limits } from '../limits';

/** The Image Pixel module attributes (PS3.3 C.7.6.3) that decoding needs. */
export interface PixelModule {
  rows: number;
  columns: number;
  frames: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  photometric: string;
  /** (0028,0006): 0 = colour-by-pixel, 1 = colour-by-plane */
  planarConfiguration: 0 | 1;
}

export const PIXEL_DATA = 'x7fe00010';

/**
 * Reads and validates the pixel description; checks the declared size against the limits before
 * anything is allocated.
 */
export function readPixelModule(ds: DataSet, limits: Limits): PixelModule {
  if (!ds.elements[PIXEL_DATA]) {
    const other = ds.elements['x7fe00008'] || ds.elements['x7fe00009'];
    if (other) throw new SonoError('UNSUPPORTED_FORMAT', 'Float pixel data (7FE0,0008/0009) is not supported.');
    throw new SonoError('NO_PIXEL_DATA', 'The DICOM file holds no image (no Pixel Data element).');
  }
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  // NumberOfFrames (0028,0008) is an IS string; absent means one frame.
  const frames = ds.elements['x00280008'] ? (ds.intString('x00280008') ?? NaN) : 1;
  if (!rows || !columns) throw new SonoError('CORRUPT_FILE', 'The DICOM image has no Rows or Columns.');
  checkDimensions(columns, rows, frames, limits);
  const spp = ds.uint16('x00280002') ?? 1;
  const ba = ds.uint16('x00280100') ?? 8;
  const photometric = (ds.string('x00280004') ?? (spp === 3 ? 'RGB' : 'MONOCHROME2')).toUpperCase();
  if (spp !== 1 && spp !== 3) throw new SonoError('UNSUPPORTED_FORMAT', `Samples per pixel ${spp} is not supported.`);
  if (ba !== 8 && ba !== 16) throw new SonoError('UNSUPPORTED_FORMAT', `Bits allocated ${ba} is not supported (only 8 and 16).`);
  const bitsStored = Math.min(ds.uint16('x00280101') ?? ba, ba);
  return {
    rows, columns, frames, samplesPerPixel: spp, bitsAllocated: ba, bitsStored,
    pixelRepresentation: ds.uint16('x00280103') === 1 ? 1 : 0,
    photometric,
    planarConfiguration: ds.uint16('x00280006') === 1 ? 1 : 0,
  };
}

/** Bytes one native (uncompressed) frame occupies; YBR_FULL_422 stores 2 bytes per pixel (PS3.3 C.7.6.3.1.2). */
export function nativeFrameBytes(pm: PixelModule): number {
  const pixels = pm.rows * pm.columns;
  if (pm.photometric === 'YBR_FULL_422' && pm.bitsAllocated === 8) return pixels * 2;
  return pixels * pm.samplesPerPixel * (pm.bitsAllocated / 8);
}
