import type { Mask } from '../../common/image';
import { SonoError } from '../../common/errors';
import { readPart10, type NaturalDataset } from './dcmjs';
import { unpackBits } from './bit-pack';
import { SEGMENTATION_STORAGE } from './seg-dataset';

export interface ReadSegResult {
  /** one mask per frame; for our SEGs one frame, segment 1 */
  masks: Mask[];
  dataset: NaturalDataset;
}

/**
 * Reads a BINARY Segmentation back into masks: the check that what we write is what a reader gets,
 * and the way a SEG from another tool could later become an annotation.
 */
export function readSeg(bytes: Uint8Array): ReadSegResult {
  const { dataset } = readPart10(bytes);
  if (dataset.SOPClassUID !== SEGMENTATION_STORAGE) {
    throw new SonoError('UNSUPPORTED_FORMAT', 'This DICOM file is not a Segmentation.');
  }
  if (dataset.SegmentationType !== 'BINARY' || Number(dataset.BitsAllocated) !== 1) {
    throw new SonoError('UNSUPPORTED_FORMAT', 'Only BINARY segmentations (1 bit per pixel) are read.');
  }
  const width = Number(dataset.Columns);
  const height = Number(dataset.Rows);
  const frames = Number(dataset.NumberOfFrames ?? 1);
  const packed = pixelBytes(dataset.PixelData);
  const masks: Mask[] = [];
  // Frames follow one another bit-wise, without padding (PS3.5 8.1.1)
  for (let f = 0; f < frames; f++) {
    masks.push({ width, height, data: unpackBits(packed, width * height, f * width * height) });
  }
  return { masks, dataset };
}

function pixelBytes(value: unknown): Uint8Array {
  const v = Array.isArray(value) ? value[0] : value;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new SonoError('NO_PIXEL_DATA', 'The segmentation has no pixel data.');
}
