import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fixturesDir, sharedDir } from '../paths';
import { decode } from '../../../main/imaging';
import { isSonoError } from '../../../main/common/errors';
import type { Frame } from '../../../main/common/image';
import type { Study } from '../../../main/common/study';

export const generatedDir = path.join(fixturesDir, 'dicom', 'generated');
export const realDir = path.join(fixturesDir, 'dicom', 'real');

export function generated(name: string): string {
  return existing(path.join(generatedDir, name));
}

/** A file from ../shared/fixtures/dicom; a missing file fails the test rather than skipping it. */
export function shared(rel: string): string {
  return existing(path.join(sharedDir, 'fixtures', 'dicom', rel));
}

function existing(p: string): string {
  assert.ok(fs.existsSync(p), `fixture missing: ${p}`);
  return p;
}

export async function decodeFile(p: string): Promise<Study> {
  return decode(p);
}

/** Reads a binary PGM (P5) or PPM (P6) as written by dcmj2pnm --write-raw-pnm. */
export function readPnm(p: string): Frame {
  const buf = fs.readFileSync(existing(p));
  const header: string[] = [];
  let i = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]!))) i++;
    if (buf[i] === 0x23) { while (buf[i] !== 0x0a) i++; continue; }
    let tok = '';
    while (!/\s/.test(String.fromCharCode(buf[i]!))) tok += String.fromCharCode(buf[i++]!);
    header.push(tok);
  }
  i++; // the single whitespace after maxval
  const [magic, w, h, max] = header;
  assert.ok(magic === 'P5' || magic === 'P6', `not a raw PNM: ${magic}`);
  assert.equal(max, '255');
  const channels = magic === 'P5' ? 1 : 3;
  return { width: Number(w), height: Number(h), channels, data: new Uint8Array(buf.subarray(i, i + Number(w) * Number(h) * channels)) };
}

export function meanAbsDiff(a: Frame, b: Frame): number {
  assert.deepEqual([a.width, a.height, a.channels], [b.width, b.height, b.channels]);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i]! - b.data[i]!);
  return s / a.data.length;
}

export function maxAbsDiff(a: Frame, b: Frame): number {
  assert.deepEqual([a.width, a.height, a.channels], [b.width, b.height, b.channels]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

/** Pixels identical, byte for byte (assert.deepEqual on big arrays prints too much on failure). */
export function assertSameFrame(actual: Frame, expected: Frame, label: string): void {
  assert.deepEqual([actual.width, actual.height, actual.channels], [expected.width, expected.height, expected.channels], label);
  assert.equal(maxAbsDiff(actual, expected), 0, `${label}: pixels differ`);
}

/** Awaits a rejection and returns its SonoError code (any other outcome fails). */
export async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(isSonoError(e), `expected a SonoError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), 'error message must be one line');
    return e.code;
  }
  assert.fail('expected the decode to fail');
}

/** A minimal PNG encoder (PNG spec §11: IHDR, optional PLTE/tRNS, one IDAT, IEND) for exact test inputs. */
export function encodePng(width: number, height: number, colorType: 0 | 2 | 3 | 4 | 6, bitDepth: 8 | 16, pixels: Uint8Array,
  palette?: Uint8Array): Buffer {
  const samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  const rowBytes = width * samples * (bitDepth / 8);
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(pixels.buffer, pixels.byteOffset + y * rowBytes, rowBytes).copy(raw, y * (rowBytes + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth; ihdr[9] = colorType;
  const chunks = [chunk('IHDR', ihdr)];
  if (palette) chunks.push(chunk('PLTE', Buffer.from(palette)));
  chunks.push(chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Deterministic pseudo-random bytes (tests must not depend on Math.random). */
export function prng(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (s * 1664525 + 1013904223) >>> 0; out[i] = s >>> 24; }
  return out;
}
