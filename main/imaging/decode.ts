import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SonoError } from '../common/errors';
import type { Study } from '../common/study';
import { decodeBmp } from './raster/bmp';
import { decodeWithSharp } from './raster/sharpRaster';
import { decodeDicom } from './dicom/decodeDicom';
import { resolveLimits, type DecodeOptions } from './limits';
import { sniffFormat } from './sniff';

export type DecodeInput = string | { name: string; bytes: Uint8Array };

/** Largest file accepted at all; bigger inputs are refused before being read into memory. */
const MAX_FILE_BYTES = 4 * 1024 ** 3 - 1;

/**
 * Decodes any supported image file into a Study. Every failure is a SonoError with a stable code
 * and a one-line message; nothing else escapes (an unexpected library error becomes CORRUPT_FILE).
 */
export async function decode(input: DecodeInput, options?: DecodeOptions): Promise<Study> {
  const limits = resolveLimits(options);
  const { name, bytes } = typeof input === 'string' ? await readStudyFile(input) : input;
  if (bytes.length === 0) throw new SonoError('EMPTY_FILE', `${name} is empty (0 bytes).`);
  const format = sniffFormat(bytes);
  try {
    if (format === 'dicom') return await decodeDicom(bytes, name, limits);
    if (format === 'unknown') throw new SonoError('UNSUPPORTED_FORMAT', `${name} is not a recognised image format (DICOM, PNG, JPEG, BMP, TIFF, WebP).`);
    const raster = format === 'bmp' ? decodeBmp(bytes, limits) : await decodeWithSharp(bytes, limits);
    const { frame } = raster;
    return {
      kind: 'raster', name, width: frame.width, height: frame.height, frames: [frame],
      metadata: { format: raster.format },
      warnings: [{ code: 'NO_CALIBRATION', message: 'Plain images carry no pixel spacing; measurements will be in pixels.' }],
    };
  } catch (e) {
    if (e instanceof SonoError) throw e;
    // Decoders throw strings, RangeErrors and wasm aborts on damaged data; none of that may escape raw.
    throw new SonoError('CORRUPT_FILE', `${name} is damaged and could not be decoded.`, { cause: e });
  }
}

/** Reads a file for decode(); missing or unreadable files become FILE_NOT_FOUND / IO_ERROR. */
export async function readStudyFile(filePath: string): Promise<{ name: string; bytes: Uint8Array }> {
  const name = path.basename(filePath);
  try {
    const stat = await fs.stat(filePath);
    if (!stat.isFile()) throw new SonoError('UNSUPPORTED_FORMAT', `${name} is not a file.`);
    if (stat.size > MAX_FILE_BYTES) throw new SonoError('TOO_LARGE', `${name} is larger than 4 GiB.`);
    return { name, bytes: new Uint8Array(await fs.readFile(filePath)) };
  } catch (e) {
    if (e instanceof SonoError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new SonoError('FILE_NOT_FOUND', `${name} was not found.`);
    throw new SonoError('IO_ERROR', `${name} could not be read (${code ?? 'I/O error'}).`);
  }
}
