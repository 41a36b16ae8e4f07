import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { resizeBilinear, resizeNearest } from '../../../main/common/resize';

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
