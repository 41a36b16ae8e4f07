import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import { encode as encodeBmp } from 'bmp-ts';
import { decode, isDicom } from '../../../main/imaging';
import { encodePng, prng } from './helpers';

const W = 7, H = 5; // odd sizes catch row-stride mistakes
const gray8 = prng(W * H, 1);
const rgb8 = prng(W * H * 3, 2);

const png = (name: string, bytes: Uint8Array) => decode({ name, bytes });

test('PNG 8-bit gray round-trips exactly as one channel', async () => {
  const s = await png('g8.png', encodePng(W, H, 0, 8, gray8));
  assert.equal(s.kind, 'raster');
  assert.deepEqual([s.width, s.height, s.frames[0]!.channels], [W, H, 1]);
  assert.deepEqual(s.frames[0]!.data, gray8);
  assert.ok(s.warnings.some((w) => w.code === 'NO_CALIBRATION'));
});

test('PNG 16-bit gray is stretched to 8-bit by its own min/max and says so', async () => {
  const v = new Uint16Array(W * H).map((_, i) => 1000 + i * 100); // min 1000, max 4400
  const be = new Uint8Array(v.length * 2);
  v.forEach((x, i) => { be[2 * i] = x >> 8; be[2 * i + 1] = x & 0xff; }); // PNG samples are big endian
  const s = await png('g16.png', encodePng(W, H, 0, 16, be));
  const f = s.frames[0]!;
  assert.equal(f.channels, 1);
  assert.equal(f.data[0], 0);
  assert.equal(f.data[v.length - 1], 255);
  v.forEach((x, i) => assert.equal(f.data[i], Math.round(((x - 1000) * 255) / 3400)));
  assert.match(s.metadata.format ?? '', /16-bit gray.*min\/max/);
});

test('PNG RGB round-trips exactly as three channels', async () => {
  const s = await png('rgb.png', encodePng(W, H, 2, 8, rgb8));
  assert.equal(s.frames[0]!.channels, 3);
  assert.deepEqual(s.frames[0]!.data, rgb8);
});

test('PNG palette expands to the palette colours', async () => {
  const palette = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
  const idx = new Uint8Array(W * H).map((_, i) => i % 4);
  const s = await png('pal.png', encodePng(W, H, 3, 8, idx, palette));
  const f = s.frames[0]!;
  assert.equal(f.channels, 3);
  idx.forEach((k, i) => assert.deepEqual(Array.from(f.data.subarray(3 * i, 3 * i + 3)), Array.from(palette.subarray(3 * k, 3 * k + 3))));
});

test('PNG RGBA: alpha is composited over black; opaque pixels keep their colour exactly', async () => {
  const rgba = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) rgba.set([rgb8[3 * i]!, rgb8[3 * i + 1]!, rgb8[3 * i + 2]!, i % 2 ? 255 : 0], 4 * i);
  const s = await png('rgba.png', encodePng(W, H, 6, 8, rgba));
  const f = s.frames[0]!;
  assert.equal(f.channels, 3);
  for (let i = 0; i < W * H; i++) {
    const want = i % 2 ? Array.from(rgb8.subarray(3 * i, 3 * i + 3)) : [0, 0, 0];
    assert.deepEqual(Array.from(f.data.subarray(3 * i, 3 * i + 3)), want, `pixel ${i}`);
  }
  assert.match(s.metadata.format ?? '', /alpha composited/);
});

test('PNG gray+alpha stays one channel', async () => {
  const ga = new Uint8Array(W * H * 2);
  for (let i = 0; i < W * H; i++) ga.set([gray8[i]!, 255], 2 * i);
  const s = await png('ga.png', encodePng(W, H, 4, 8, ga));
  assert.equal(s.frames[0]!.channels, 1);
  assert.deepEqual(s.frames[0]!.data, gray8);
});

test('TIFF (gray and RGB) and lossless WebP round-trip exactly', async () => {
  const tifGray = await sharp(Buffer.from(gray8), { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').tiff({ compression: 'lzw' }).toBuffer();
  const g = await decode({ name: 'g.tif', bytes: tifGray });
  assert.equal(g.frames[0]!.channels, 1);
  assert.deepEqual(g.frames[0]!.data, gray8);
  const tifRgb = await sharp(Buffer.from(rgb8), { raw: { width: W, height: H, channels: 3 } }).tiff({ compression: 'deflate' }).toBuffer();
  assert.deepEqual((await decode({ name: 'c.tif', bytes: tifRgb })).frames[0]!.data, rgb8);
  const webp = await sharp(Buffer.from(rgb8), { raw: { width: W, height: H, channels: 3 } }).webp({ lossless: true }).toBuffer();
  const w = await decode({ name: 'c.webp', bytes: webp });
  assert.equal(w.frames[0]!.channels, 3);
  assert.deepEqual(w.frames[0]!.data, rgb8);
});

test('JPEG decodes close to its source (lossy)', async () => {
  const smooth = new Uint8Array(64 * 64).map((_, i) => (i % 64) * 2 + Math.floor(i / 64));
  const jpg = await sharp(Buffer.from(smooth), { raw: { width: 64, height: 64, channels: 1 } }).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer();
  const s = await decode({ name: 'g.jpg', bytes: jpg });
  const f = s.frames[0]!;
  assert.equal(f.channels, 1);
  let d = 0;
  for (let i = 0; i < smooth.length; i++) d += Math.abs(f.data[i]! - smooth[i]!);
  assert.ok(d / smooth.length < 2, `mean abs diff ${d / smooth.length}`);
});

test('BMP 24-bit round-trips exactly as RGB (bmp-ts; libvips has no BMP loader)', async () => {
  const abgr = Buffer.alloc(W * H * 4);
  for (let i = 0; i < W * H; i++) abgr.set([0, rgb8[3 * i + 2]!, rgb8[3 * i + 1]!, rgb8[3 * i]!], 4 * i);
  const bmp = encodeBmp({ width: W, height: H, data: abgr, bitPP: 24 }).data;
  const s = await decode({ name: 'c.bmp', bytes: bmp });
  assert.equal(s.frames[0]!.channels, 3);
  assert.deepEqual(s.frames[0]!.data, rgb8);
});

test('BMP 8-bit with a grey palette becomes one channel', async () => {
  const rowBytes = Math.ceil(W / 4) * 4;
  const header = Buffer.alloc(54 + 1024);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(54 + 1024 + rowBytes * H, 2);
  header.writeUInt32LE(54 + 1024, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(W, 18); header.writeInt32LE(H, 22);
  header.writeUInt16LE(1, 26); header.writeUInt16LE(8, 28);
  for (let k = 0; k < 256; k++) header.set([k, k, k, 0], 54 + 4 * k);
  const pixels = Buffer.alloc(rowBytes * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) pixels[(H - 1 - y) * rowBytes + x] = gray8[y * W + x]!; // bottom-up rows
  const s = await decode({ name: 'g.bmp', bytes: Buffer.concat([header, pixels]) });
  assert.equal(s.frames[0]!.channels, 1);
  assert.deepEqual(s.frames[0]!.data, gray8);
});

test('isDicom recognises Part 10 and preamble-less DICOM, not PNG', () => {
  const p10 = new Uint8Array(200);
  p10.set([0x44, 0x49, 0x43, 0x4d], 128);
  assert.equal(isDicom(p10), true);
  const bare = new Uint8Array([0x08, 0x00, 0x05, 0x00, 0x43, 0x53, 0x0a, 0x00, 0x49, 0x53, 0x4f, 0x5f]);
  assert.equal(isDicom(bare), true);
  assert.equal(isDicom(encodePng(1, 1, 0, 8, new Uint8Array(1))), false);
});
