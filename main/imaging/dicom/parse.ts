import * as dicomParser from 'dicom-parser';
import { Inflate } from 'pako';
import { SonoError } from '../../common/errors';
import { hasDicmPrefix, preamblelessSyntax } from '../sniff';
import { DEFLATED, EXPLICIT_LE, IMPLICIT_LE, transferSyntaxInfo, type TransferSyntaxInfo } from './transferSyntax';

export interface ParsedDicom {
  dataSet: dicomParser.DataSet;
  transferSyntax: TransferSyntaxInfo;
}

/** Inflated data sets larger than this are refused: a deflate bomb must not exhaust memory. */
const MAX_INFLATED_BYTES = 1 << 30;

/**
 * Parses a DICOM file (Part 10 or preamble-less) with dicom-parser. Parser failures, which
 * dicom-parser throws as bare strings, become CORRUPT_FILE; an unknown transfer syntax is UNSUPPORTED_FORMAT.
 */
export function parseDicomBytes(bytes: Uint8Array): ParsedDicom {
  const { input, fallbackSyntax } = normalisePreamble(bytes);
  let dataSet: dicomParser.DataSet;
  try {
    const options = { TransferSyntaxUID: fallbackSyntax, inflater: inflate } as unknown as dicomParser.ParseDicomOptions;
    dataSet = dicomParser.parseDicom(input, options);
  } catch (e) {
    if (e instanceof SonoError) throw e;
    throw new SonoError('CORRUPT_FILE', 'The DICOM file is damaged or truncated and could not be read.', { cause: e });
  }
  const uid = (dataSet.string('x00020010') ?? fallbackSyntax ?? '').replace(/\0/g, '').trim();
  const transferSyntax = transferSyntaxInfo(uid);
  if (!transferSyntax) {
    throw new SonoError('UNSUPPORTED_FORMAT', `The DICOM transfer syntax ${uid || '(missing)'} is not supported.`);
  }
  return { dataSet, transferSyntax };
}

/**
 * Part 10 files pass through. A preamble-less file that starts with its File Meta group gets the
 * 128-byte preamble and "DICM" put back (PS3.10 §7.1); a bare data set is parsed with the syntax its
 * first element shows (explicit or implicit VR, little endian).
 */
function normalisePreamble(bytes: Uint8Array): { input: Uint8Array; fallbackSyntax?: string } {
  if (hasDicmPrefix(bytes)) return { input: bytes };
  const kind = preamblelessSyntax(bytes);
  if (kind === 'meta') {
    const input = new Uint8Array(132 + bytes.length);
    input.set([0x44, 0x49, 0x43, 0x4d], 128);
    input.set(bytes, 132);
    return { input };
  }
  if (kind === 'explicit') return { input: bytes, fallbackSyntax: EXPLICIT_LE };
  if (kind === 'implicit') return { input: bytes, fallbackSyntax: IMPLICIT_LE };
  throw new SonoError('UNSUPPORTED_FORMAT', 'The file is not DICOM.');
}

/** Deflated Explicit VR LE (PS3.5 §A.5): everything after the File Meta group is raw deflate. */
function inflate(bytes: Uint8Array, position: number): Uint8Array {
  const inflater = new Inflate({ raw: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  inflater.onData = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > MAX_INFLATED_BYTES) throw new SonoError('TOO_LARGE', 'The deflated DICOM data set inflates beyond 1 GiB.');
    chunks.push(chunk);
  };
  inflater.push(bytes.subarray(position), true);
  if (inflater.err) throw new SonoError('CORRUPT_FILE', 'The deflated DICOM data set is damaged.');
  const out = Buffer.alloc(position + total);
  out.set(bytes.subarray(0, position), 0);
  let at = position;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

export { DEFLATED };
