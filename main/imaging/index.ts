/**
 * main/imaging: decode anything into frames. Raster images through sharp (BMP through bmp-ts),
 * DICOM through dicom-parser and the Cornerstone codecs; calibration and display metadata with it.
 */
export { decode, readStudyFile, type DecodeInput } from './decode';
export { isDicom, sniffFormat, type SniffedFormat } from './sniff';
export { DEFAULT_LIMITS, type DecodeOptions } from './limits';
