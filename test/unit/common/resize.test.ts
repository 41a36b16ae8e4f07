import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { resizeBilinear, resizeNearest, shrinkByArea } from '../../../main/common/resize';

test('bilinear 2×2 → 4×4 with half-pixel centres', () => {
  // output i samples source position (i + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamped 0, ¼, ¾, 1
  const out = resizeBilinear({ width: 2, height: 2, data: Float32Array.from([0, 1, 2, 3]) }, 4, 4);
  assert.deepEqual(Array.from(out.data), [
    0, 0.25, 0.75, 1,
    0.5, 0.75, 1.25, 1.5,
    1.5, 1.75, 2.25, 2.5,
    2, 2.25, 2.75, 3,
  ]);
});

test('bilinear 4×1 → 2×1 averages pairs; same size is the identity', () => {
  // output 0 samples position 0.5 (between 0 and 1), output 1 samples 2.5
  const out = resizeBilinear({ width: 4, height: 1, data: Float32Array.from([0, 1, 4, 8]) }, 2, 1);
  assert.deepEqual(Array.from(out.data), [0.5, 6]);
  const d = Float32Array.from([0.1, 0.7, 0.3, 0.9, 0.2, 0.4]);
  assert.deepEqual(resizeBilinear({ width: 3, height: 2, data: d }, 3, 2).data, d);
});

test('nearest 2×2 → 4×4 repeats each pixel in a 2×2 block; 4 → 3 picks floor((i + ½)·4/3)', () => {
  const up = resizeNearest({ width: 2, height: 2, data: Uint8Array.from([1, 0, 0, 1]) }, 4, 4);
  assert.deepEqual(Array.from(up.data), [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]);
  // sources 0.67 → 0, 2 → 2, 3.33 → 3
  const down = resizeNearest({ width: 4, height: 1, data: Uint8Array.from([1, 0, 0, 1]) }, 3, 1);
  assert.deepEqual(Array.from(down.data), [1, 0, 1]);
  assert.throws(() => resizeNearest({ width: 2, height: 2, data: new Uint8Array(4) }, 0, 3));
});

test('area shrink 4 → 2 averages pairs, 3 → 2 weighs the shared pixel by halves, rows and columns alike', () => {
  assert.deepEqual(Array.from(shrinkByArea({ width: 4, height: 1, data: [0, 1, 4, 8] }, 2, 1).data), [0.5, 6]);
  // output 0 covers [0, 1.5): p0 + ½ p1 over 1.5; output 1 covers [1.5, 3): ½ p1 + p2 over 1.5
  const three = shrinkByArea({ width: 3, height: 1, data: [3, 6, 9] }, 2, 1).data;
  assert.ok(Math.abs(three[0]! - (3 + 3) / 1.5) < 1e-6 && Math.abs(three[1]! - (3 + 9) / 1.5) < 1e-6);
  // 2×2 blocks of a 4×4 image → their means; the transpose of the image gives the transposed result
  const img = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  assert.deepEqual(Array.from(shrinkByArea({ width: 4, height: 4, data: img }, 2, 2).data), [3.5, 5.5, 11.5, 13.5]);
  const col = shrinkByArea({ width: 1, height: 3, data: [3, 6, 9] }, 1, 2).data;
  assert.deepEqual(Array.from(col), Array.from(three));
});

test('area shrink keeps a flat image flat and the mean of any image, and is the identity at the same size', () => {
  const flat = shrinkByArea({ width: 7, height: 5, data: new Array(35).fill(200) }, 3, 2).data;
  for (const v of flat) assert.ok(Math.abs(v - 200) < 1e-4);
  const data = Array.from({ length: 11 * 9 }, (_, i) => (i * 37) % 251);
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
  // 11 → 4 and 9 → 3: each output pixel covers the same area, so the output's mean is the input's
  assert.ok(Math.abs(mean(shrinkByArea({ width: 11, height: 9, data }, 4, 3).data) - mean(data)) < 1e-3);
  assert.deepEqual(Array.from(shrinkByArea({ width: 11, height: 9, data }, 11, 9).data), data);
});

test('area shrink refuses to grow a side', () => {
  assert.throws(() => shrinkByArea({ width: 4, height: 4, data: new Array(16).fill(0) }, 5, 2), /would grow/);
});
