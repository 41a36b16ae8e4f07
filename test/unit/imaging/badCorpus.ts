import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from '../paths';
import { encodePng, generatedDir, prng, realDir } from './helpers';

/**
 * The bad-input corpus: each entry is a small damaged file and the exact error code decode() must give.
 * Built from the committed good fixtures; `node dist/test/unit/imaging/badCorpus.js --write` writes it
 * to test/fixtures/bad/ (committed), and the test checks the committed files still match this builder.
 */
export interface BadCase { file: string; code: string; why: string; bytes: Uint8Array }

export const badDir = path.join(fixturesDir, 'bad');

const good = (name: string) => new Uint8Array(fs.readFileSync(path.join(generatedDir, name)));

/** Finds an explicit-VR-LE short-form element (PS3.5 §7.1.2) and replaces its value, fixing its 16-bit length. */
export function setElement(bytes: Uint8Array, group: number, element: number, value: Uint8Array): Uint8Array {
  const at = findTag(bytes, group, element);
  const len = bytes[at + 6]! | (bytes[at + 7]! << 8);
  const out = new Uint8Array(bytes.length - len + value.length);
  out.set(bytes.subarray(0, at + 6), 0);
  out.set([value.length & 0xff, value.length >> 8], at + 6);
  out.set(value, at + 8);
  out.set(bytes.subarray(at + 8 + len), at + 8 + value.length);
  return out;
}

export function findTag(bytes: Uint8Array, group: number, element: number): number {
  for (let i = 132; i + 8 < bytes.length; i++) {
    if (bytes[i] === (group & 0xff) && bytes[i + 1] === group >> 8 && bytes[i + 2] === (element & 0xff) && bytes[i + 3] === element >> 8 &&
      bytes[i + 4]! >= 0x41 && bytes[i + 4]! <= 0x5a) return i;
  }
  throw new Error(`tag (${group.toString(16)},${element.toString(16)}) not found`);
}

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const u16 = (v: number) => new Uint8Array([v & 0xff, v >> 8]);

function withLength32(bytes: Uint8Array, group: number, element: number, length: number): Uint8Array {
  // OB/OW/UN use the long form: 2 reserved bytes then a 32-bit length (PS3.5 Table 7.1-1).
  const out = Uint8Array.from(bytes);
  new DataView(out.buffer).setUint32(findTag(out, group, element) + 8, length, true);
  return out;
}

function pngWithBadCrc(): Uint8Array {
  const png = encodePng(16, 16, 0, 8, prng(256, 3));
  const idat = png.indexOf('IDAT', 0, 'latin1');
  const len = png.readUInt32BE(idat - 4);
  png[idat + 4 + len] = png[idat + 4 + len]! ^ 0xff; // first CRC byte of IDAT
  return png;
}

function bmpHuge(): Uint8Array {
  const b = Buffer.alloc(54);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(54, 2); b.writeUInt32LE(54, 10); b.writeUInt32LE(40, 14);
  b.writeInt32LE(100000, 18); b.writeInt32LE(100000, 22); b.writeUInt16LE(1, 26); b.writeUInt16LE(24, 28);
  return b;
}

export function buildBadCorpus(): BadCase[] {
  const mono = good('mono8_evrle.dcm');
  const jls = good('mono8_jls80.dcm');
  const rle = good('mono8_rle.dcm');
  const dicm = new Uint8Array(2132);
  dicm.set(ascii('DICM'), 128);
  dicm.set(prng(2000, 9), 132);
  const jlsDamaged = Uint8Array.from(jls);
  const sos = findTag(jls, 0x7fe0, 0x0010) + 40;
  jlsDamaged.set(prng(64, 11), sos); // scramble the JPEG-LS header and first scan bytes
  const cases: Array<Omit<BadCase, 'bytes'> & { bytes: Uint8Array }> = [
    { file: 'zero.dcm', code: 'EMPTY_FILE', why: 'zero bytes', bytes: new Uint8Array(0) },
    { file: 'text.txt', code: 'UNSUPPORTED_FORMAT', why: 'a text file', bytes: ascii('Patient report\nnot an image\n') },
    { file: 'random_with_dicm.dcm', code: 'CORRUPT_FILE', why: 'random bytes after a DICM preamble', bytes: dicm },
    { file: 'truncated_pixels.dcm', code: 'CORRUPT_FILE', why: 'cut in the pixel data', bytes: mono.subarray(0, Math.floor(mono.length * 0.7)) },
    { file: 'truncated_header.dcm', code: 'CORRUPT_FILE', why: 'cut inside the data set header', bytes: mono.subarray(0, findTag(mono, 0x0008, 0x0070) + 12) },
    { file: 'wrong_length.dcm', code: 'CORRUPT_FILE', why: 'pixel data length 0xFFFFFFF0', bytes: withLength32(mono, 0x7fe0, 0x0010, 0xfffffff0) },
    { file: 'huge_rows_columns.dcm', code: 'TOO_LARGE', why: 'declares 65535×65535', bytes: setElement(setElement(mono, 0x0028, 0x0010, u16(65535)), 0x0028, 0x0011, u16(65535)) },
    { file: 'huge_frames.dcm', code: 'TOO_LARGE', why: 'declares 99999 frames', bytes: setElement(good('mono8x3_evrle.dcm'), 0x0028, 0x0008, ascii('99999 ')) },
    { file: 'zero_rows.dcm', code: 'CORRUPT_FILE', why: 'declares 0 rows', bytes: setElement(mono, 0x0028, 0x0010, u16(0)) },
    { file: 'unsupported_syntax.dcm', code: 'UNSUPPORTED_FORMAT', why: 'MPEG2 transfer syntax', bytes: setElement(mono, 0x0002, 0x0010, ascii('1.2.840.10008.1.2.4.100\0')) },
    { file: 'damaged_jpegls.dcm', code: 'CORRUPT_FILE', why: 'scrambled JPEG-LS codestream', bytes: jlsDamaged },
    { file: 'truncated_rle.dcm', code: 'CORRUPT_FILE', why: 'RLE data cut short', bytes: rle.subarray(0, rle.length - 1500) },
    { file: 'bad_crc.png', code: 'CORRUPT_FILE', why: 'PNG whose IDAT CRC is wrong', bytes: pngWithBadCrc() },
    { file: 'huge.bmp', code: 'TOO_LARGE', why: 'BMP header declaring 100000×100000', bytes: bmpHuge() },
    { file: 'no_pixel_data.dcm', code: 'NO_PIXEL_DATA', why: 'header-only DICOM (dcmjs test file)', bytes: new Uint8Array(fs.readFileSync(path.join(realDir, 'dcmjs', 'no-meta-length-test.dcm'))) },
    { file: 'deflate_garbage.dcm', code: 'CORRUPT_FILE', why: 'deflated syntax with a garbage body', bytes: deflatedGarbage() },
  ];
  return cases;
}

function deflatedGarbage(): Uint8Array {
  const d = good('mono8_deflated.dcm');
  const body = findTag(d, 0x0002, 0x0010); // the last meta elements precede the deflated body
  const out = Uint8Array.from(d);
  const start = out.length - Math.floor((out.length - body) / 2);
  out.set(prng(out.length - start, 5), start);
  return out;
}

if (require.main === module && process.argv.includes('--write')) {
  fs.mkdirSync(badDir, { recursive: true });
  const cases = buildBadCorpus();
  for (const c of cases) fs.writeFileSync(path.join(badDir, c.file), c.bytes);
  const manifest = cases.map(({ file, code, why }) => ({ file, code, why }));
  fs.writeFileSync(path.join(badDir, 'expected.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote ${cases.length} files to ${badDir}`);
}
