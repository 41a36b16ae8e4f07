import { SonoError } from '../../common/errors';
import { deplanarize } from './color';

/**
 * The compressed-pixel decoders, all maintained packages: libjpeg-turbo, CharLS and OpenJPEG as
 * emscripten builds from Cornerstone, and jpeg-lossless-decoder-js for JPEG lossless (process 14).
 * Each wasm module is instantiated once, on first use, and reused.
 */
export interface DecodedPixels {
  width: number;
  height: number;
  components: number;
  bitsPerSample: number;
  /** samples interleaved by pixel */
  samples: Uint8Array | Uint16Array;
}

interface FrameInfo { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean }
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  getInterleaveMode?(): number;
  delete?(): void;
}
type Factory = (module?: { print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<Record<string, new () => WasmDecoder>>;

const modules = new Map<string, Promise<Record<string, new () => WasmDecoder>>>();

function loadModule(name: string): Promise<Record<string, new () => WasmDecoder>> {
  let m = modules.get(name);
  if (!m) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- emscripten factories ship without types
    const factory = require(name) as Factory;
    m = factory({ print: () => undefined, printErr: () => undefined });
    modules.set(name, m);
  }
  return m;
}

async function runWasm(moduleName: string, className: string, encoded: Uint8Array): Promise<{ info: FrameInfo; out: Uint8Array; interleave?: number }> {
  const mod = await loadModule(moduleName);
  const Decoder = mod[className]!;
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    // The decoded buffer is a view into wasm memory: copy it before the decoder is freed.
    const out = decoder.getDecodedBuffer().slice();
    return { info, out, interleave: decoder.getInterleaveMode?.() };
  } finally {
    decoder.delete?.();
  }
}

function toSamples(bytes: Uint8Array, bits: number): Uint8Array | Uint16Array {
  if (bits <= 8) return bytes;
  // The codecs write wider samples little endian, as wasm memory is.
  const out = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
  return out;
}

/** JPEG baseline (.4.50) and extended 8-bit (.4.51). libjpeg-turbo turns YCbCr into RGB itself. */
export async function decodeJpegBaseline(encoded: Uint8Array): Promise<DecodedPixels> {
  const { info, out } = await runWasm('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder', encoded);
  return { width: info.width, height: info.height, components: info.componentCount, bitsPerSample: 8, samples: out };
}

/** JPEG-LS lossless (.4.80) and near-lossless (.4.81) via CharLS. */
export async function decodeJpegLs(encoded: Uint8Array): Promise<DecodedPixels> {
  const { info, out, interleave } = await runWasm('@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder', encoded);
  let samples = toSamples(out, info.bitsPerSample);
  // Interleave mode 0 (none) returns one plane per component.
  if (info.componentCount > 1 && interleave === 0) samples = deplanarize(samples, info.componentCount);
  return { width: info.width, height: info.height, components: info.componentCount, bitsPerSample: info.bitsPerSample, samples };
}

/** JPEG 2000 (.4.90 reversible, .4.91 irreversible) via OpenJPEG; YBR_RCT/ICT come out as RGB. */
export async function decodeJpeg2000(encoded: Uint8Array): Promise<DecodedPixels> {
  const { info, out } = await runWasm('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder', encoded);
  const samples = toSamples(out, info.bitsPerSample);
  return { width: info.width, height: info.height, components: info.componentCount, bitsPerSample: info.bitsPerSample, samples };
}

/** JPEG lossless, non-hierarchical, process 14 (.4.57) and its selection value 1 form (.4.70). */
export function decodeJpegLossless(encoded: Uint8Array, bitsAllocated: number): DecodedPixels {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Decoder } = require('jpeg-lossless-decoder-js') as {
    Decoder: new () => { decode(b: ArrayBuffer, o: number, l: number, n: number): Uint8Array | Uint16Array; xDim: number; yDim: number; numComp: number; precision: number };
  };
  const d = new Decoder();
  const padded = padBeforeEoi(encoded);
  const samples = d.decode(padded.buffer as ArrayBuffer, padded.byteOffset, padded.length, bitsAllocated > 8 ? 2 : 1);
  return { width: d.xDim, height: d.yDim, components: d.numComp, bitsPerSample: d.precision, samples };
}

/** Codec failures become CORRUPT_FILE: the container parsed, the compressed stream did not. */
/**
 * jpeg-lossless-decoder-js 2.1.2 reads ahead for the next code and, when that read runs into the EOI
 * marker, drops the last pixel of multi-component images. Zero bytes between the entropy-coded data
 * and EOI give it something to read; they are never used, as decoding stops after the last pixel.
 */
function padBeforeEoi(encoded: Uint8Array): Uint8Array {
  let end = encoded.length;
  while (end > 2 && encoded[end - 1] === 0) end--; // fragments are padded to even length
  if (end < 4 || encoded[end - 2] !== 0xff || encoded[end - 1] !== 0xd9) return encoded;
  const out = new Uint8Array(end + 8);
  out.set(encoded.subarray(0, end - 2), 0);
  out.set([0xff, 0xd9], end + 6);
  return out;
}

export async function guardCodec(name: string, run: () => Promise<DecodedPixels> | DecodedPixels): Promise<DecodedPixels> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof SonoError) throw e;
    throw new SonoError('CORRUPT_FILE', `The ${name} compressed pixel data could not be decoded.`, { cause: e });
  }
}
