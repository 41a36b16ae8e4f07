import type { DataSet } from 'dicom-parser';
import type { Frame } from '../../common/image';
import { SonoError } from '../../common/errors';
import { deplanarize, ybr422ToRgb, ybrFullToRgb } from './color';
import type { Samples } from './frames';
import { monochromeToByte, type GrayMapping } from './grayscale';
import { applyPalette, type Palette } from './palette';
import type { PixelModule } from './pixelModule';

export interface RenderInput {
  samples: Samples;
  /** the photometric interpretation of `samples`, after any codec colour conversion */
  photometric: string;
  /** samples are colour-by-plane (native data with Planar Configuration 1) */
  planar: boolean;
  /** native YBR_FULL_422, still 2 bytes per pixel */
  subsampled422: boolean;
}

/** Turns one frame's samples into an 8-bit Frame: gray stays 1 channel, everything else becomes RGB. */
export function renderFrame(input: RenderInput, pm: PixelModule, ds: DataSet, palette?: Palette): { frame: Frame; mapping?: GrayMapping } {
  const width = pm.columns;
  const height = pm.rows;
  const pixels = width * height;
  const pi = input.photometric;
  if (pi === 'MONOCHROME1' || pi === 'MONOCHROME2') {
    const { data, mapping } = monochromeToByte(input.samples, pm, ds);
    return { frame: { width, height, channels: 1, data }, mapping };
  }
  if (pi === 'PALETTE COLOR') {
    if (!palette) throw new SonoError('CORRUPT_FILE', 'A PALETTE COLOR image lacks its lookup tables.');
    return { frame: { width, height, channels: 3, data: applyPalette(input.samples, palette) } };
  }
  if (pm.samplesPerPixel !== 3) throw new SonoError('UNSUPPORTED_FORMAT', `Photometric interpretation ${pi} with one sample per pixel is not supported.`);
  if (input.subsampled422) return { frame: { width, height, channels: 3, data: ybr422ToRgb(input.samples as Uint8Array, pixels) } };
  const interleaved = input.planar ? deplanarize(input.samples, 3) : input.samples;
  const data = toByteSamples(interleaved, pm.bitsStored);
  if (pi === 'RGB') return { frame: { width, height, channels: 3, data } };
  if (pi === 'YBR_FULL' || pi === 'YBR_FULL_422') return { frame: { width, height, channels: 3, data: ybrFullToRgb(data) } };
  throw new SonoError('UNSUPPORTED_FORMAT', `Photometric interpretation ${pi} is not supported for this transfer syntax.`);
}

/** Colour samples wider than 8 bits keep their top 8 stored bits. */
function toByteSamples(s: Samples, bitsStored: number): Uint8Array {
  if (s instanceof Uint8Array) return Uint8Array.from(s);
  const shift = Math.max(0, bitsStored - 8);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) { const v = s[i]! >> shift; out[i] = v < 0 ? 0 : v > 255 ? 255 : v; }
  return out;
}
