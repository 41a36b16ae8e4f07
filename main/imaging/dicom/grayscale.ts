import type { DataSet } from 'dicom-parser';
import { minMax, stretchToByte, windowToByte } from '../intensity';
import type { PixelModule } from './pixelModule';

/** How a wide monochrome frame was brought to 8 bits, for the study's metadata. */
export type GrayMapping = 'as stored' | 'window' | 'min/max';

/**
 * MONOCHROME1/2 to 8-bit display values. 8-bit unsigned data is shown as stored (ultrasound scanners
 * write display-ready 8-bit frames). Wider data goes through the Modality LUT's rescale (PS3.3 C.11.1),
 * then the first VOI window (0028,1050/1051; C.11.2.1.2) or, without one, the frame's own min/max.
 * MONOCHROME1 is inverted so that high values are dark, as the standard defines it.
 */
export function monochromeToByte(samples: ArrayLike<number>, pm: PixelModule, ds: DataSet): { data: Uint8Array; mapping: GrayMapping } {
  let data: Uint8Array;
  let mapping: GrayMapping;
  if (pm.bitsAllocated === 8 && pm.pixelRepresentation === 0) {
    data = Uint8Array.from(samples);
    mapping = 'as stored';
  } else {
    const slope = ds.floatString('x00281053') ?? 1;
    const intercept = ds.floatString('x00281052') ?? 0;
    const values = slope === 1 && intercept === 0 ? samples : Float64Array.from(samples, (v) => v * slope + intercept);
    const center = ds.floatString('x00281050', 0);
    const width = ds.floatString('x00281051', 0);
    if (center !== undefined && width !== undefined && width >= 1) {
      data = windowToByte(values, center, width);
      mapping = 'window';
    } else {
      const { min, max } = minMax(values);
      data = stretchToByte(values, min, max);
      mapping = 'min/max';
    }
  }
  if (pm.photometric === 'MONOCHROME1') for (let i = 0; i < data.length; i++) data[i] = 255 - data[i]!;
  return { data, mapping };
}
