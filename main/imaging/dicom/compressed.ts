import { SonoError } from '../../common/errors';
import { decodeJpeg2000, decodeJpegBaseline, decodeJpegLossless, decodeJpegLs, guardCodec, type DecodedPixels } from './codecs';
import { codestreamSize } from './codestream';
import { widen16, type Samples } from './frames';
import type { PixelModule } from './pixelModule';
import { decodeRle } from './rle';
import type { PixelEncoding } from './transferSyntax';

/**
 * Decodes one compressed frame to samples interleaved by pixel. The codestream's own declared size
 * is checked against Rows/Columns first, so a lying stream cannot make a codec allocate a huge buffer.
 */
export async function decodeCompressedFrame(encoded: Uint8Array, pm: PixelModule, encoding: PixelEncoding): Promise<Samples> {
  if (encoding === 'rle') {
    const out = decodeRle(encoded, pm.columns, pm.rows, pm.samplesPerPixel, pm.bitsAllocated);
    return out instanceof Uint8Array ? out : fromUint16(out, pm);
  }
  const size = codestreamSize(encoded);
  if (!size) throw new SonoError('CORRUPT_FILE', 'A compressed frame does not start with a valid codestream header.');
  if (size.width !== pm.columns || size.height !== pm.rows) {
    throw new SonoError('CORRUPT_FILE', `A compressed frame is ${size.width}×${size.height}; the header declares ${pm.columns}×${pm.rows}.`);
  }
  const decoded = await runCodec(encoded, pm, encoding, size.precision);
  const expected = pm.rows * pm.columns * pm.samplesPerPixel;
  if (decoded.width !== pm.columns || decoded.height !== pm.rows || decoded.samples.length < expected) {
    throw new SonoError('CORRUPT_FILE', 'A compressed frame decoded to a different size than the header declares.');
  }
  if (decoded.components !== pm.samplesPerPixel) {
    throw new SonoError('CORRUPT_FILE', `A compressed frame has ${decoded.components} component(s); the header declares ${pm.samplesPerPixel}.`);
  }
  const s = decoded.samples.length > expected ? decoded.samples.subarray(0, expected) : decoded.samples;
  return s instanceof Uint8Array && decoded.bitsPerSample <= 8 ? s : fromUint16(s, pm);
}

function runCodec(encoded: Uint8Array, pm: PixelModule, encoding: PixelEncoding, precision: number): Promise<DecodedPixels> {
  switch (encoding) {
    case 'jpeg':
      // The libjpeg-turbo build is 8-bit only; 12-bit JPEG extended needs a 12-bit libjpeg.
      if (precision > 8) throw new SonoError('UNSUPPORTED_FORMAT', `${precision}-bit lossy JPEG is not supported.`);
      return guardCodec('JPEG', () => decodeJpegBaseline(encoded));
    case 'jpeg-lossless':
      return guardCodec('JPEG lossless', () => decodeJpegLossless(encoded, pm.bitsAllocated));
    case 'jpeg-ls':
      return guardCodec('JPEG-LS', () => decodeJpegLs(encoded));
    case 'jpeg2000':
      return guardCodec('JPEG 2000', () => decodeJpeg2000(encoded));
    default:
      throw new SonoError('UNSUPPORTED_FORMAT', `Pixel encoding ${encoding} is not supported.`);
  }
}

/** Wide samples go through the same Bits Stored masking and sign handling as native 16-bit data. */
function fromUint16(s: Uint8Array | Uint16Array, pm: PixelModule): Int32Array {
  const bytes = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) { bytes[2 * i] = s[i]! & 0xff; bytes[2 * i + 1] = s[i]! >> 8; }
  return widen16(bytes, false, pm);
}
