import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clahe, DEFAULT_CLAHE } from '../../../main/common/clahe';
import { fixturesDir } from '../paths';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `at ${i}: ${a[i]} against ${b[i]}`);
}

test('one region with no clipping is global histogram equalisation', () => {
  // levels 0, 0, 100, 200: cumulative shares 2/4, 3/4, 4/4 (clip 256 never bites: the limit is 4 pixels a bin)
  close(clahe([0, 0, 100, 200], 2, 2, { tiles: 1, clip: 256 }), [127.5, 127.5, 191.25, 255], 1e-4);
});

test('a flat region stays flat and near its level: the clip keeps its speckle from being stretched', () => {
  // 16×16 of level 100, clip 2: the bin is cut to 2 pixels; the 254 cut off go back one to each of levels 0–253,
  // so level 100 maps to 255 × (101 + 2) / 256
  const out = clahe(new Array(256).fill(100), 16, 16, { tiles: 1, clip: 2 });
  close(out, new Array(256).fill((255 * 103) / 256), 1e-3);
});

test('an image holding every level once maps each level b to 255 (b + 1) / 256', () => {
  const levels = Array.from({ length: 256 }, (_, b) => b);
  close(clahe(levels, 16, 16, { tiles: 1, clip: 1 }), levels.map((b) => (255 * (b + 1)) / 256), 1e-3);
});

test('fractional grey values are binned to the nearest level, and values outside [0, 255] are clamped', () => {
  close(clahe([-5, 0.4, 99.6, 300], 2, 2, { tiles: 1, clip: 256 }), [127.5, 127.5, 191.25, 255], 1e-4);
});

test('pixels up to a region\'s centre from the border take its mapping; between centres the mappings blend', () => {
  // 6×6, 2×2 regions of 3×3 pixels, centres at 1.5 and 4.5 (OpenCV's convention): left regions dark ramps,
  // right regions bright
  const w = 6, h = 6;
  const data = Array.from({ length: w * h }, (_, i) => (i % w < 3 ? 10 + (i % w) + 3 * Math.floor(i / w) : 200 + (i % w)));
  const out = clahe(data, w, h, { tiles: 2, clip: 256 });
  const region = (x0: number, y0: number) => {
    const sub: number[] = [];
    for (let y = y0; y < y0 + 3; y++) for (let x = x0; x < x0 + 3; x++) sub.push(data[y * w + x]!);
    return clahe(sub, 3, 3, { tiles: 1, clip: 256 });
  };
  // (0, 0) and (1, 1) lie before the top-left centre on both axes; (5, 5) after the bottom-right one
  assert.ok(Math.abs(out[0]! - region(0, 0)[0]!) < 1e-4);
  assert.ok(Math.abs(out[1 * w + 1]! - region(0, 0)[4]!) < 1e-4);
  assert.ok(Math.abs(out[5 * w + 5]! - region(3, 3)[8]!) < 1e-4);
  // (2, 1) lies before the top centres' row and a sixth of the way from the left centre to the right one. Its
  // level (15) has 6 of the left region's 9 pixels at or under it, and none of the right region's (all 203–205)
  assert.equal(data[1 * w + 2], 15);
  assert.ok(Math.abs(out[1 * w + 2]! - ((5 / 6) * ((255 * 6) / 9) + (1 / 6) * 0)) < 1e-4, `${out[1 * w + 2]}`);
});

test('agrees with OpenCV\'s CLAHE (test/fixtures/clahe) to its 8-bit rounding', () => {
  // OpenCV 4.6 cv2.createCLAHE(clip, (tiles, tiles)).apply on a 64×48 speckled image with a darker ellipse;
  // OpenCV rounds its per-region mappings and its output to whole levels; this keeps fractions
  const ref = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'clahe', 'opencv-reference.json'), 'utf8'));
  const image = Buffer.from(ref.image, 'base64');
  assert.equal(image.length, ref.width * ref.height);
  for (const c of ref.cases as { tiles: number; clip: number; expected: string }[]) {
    const expected = Buffer.from(c.expected, 'base64');
    const got = clahe(image, ref.width, ref.height, { tiles: c.tiles, clip: c.clip });
    let worst = 0, sum = 0;
    for (let i = 0; i < got.length; i++) {
      const d = Math.abs(got[i]! - expected[i]!);
      worst = Math.max(worst, d);
      sum += d;
    }
    assert.ok(worst <= 1 && sum / got.length <= 0.5, `tiles ${c.tiles}, clip ${c.clip}: worst ${worst.toFixed(3)}, mean ${(sum / got.length).toFixed(3)}`);
  }
});

test('the default settings are OpenCV\'s (8 × 8 regions, clip 2)', () => {
  assert.deepEqual(DEFAULT_CLAHE, { tiles: 8, clip: 2 });
  // an image smaller than the grid still works (one region per pixel at most)
  assert.equal(clahe([1, 2, 3], 3, 1).length, 3);
});

test('bad settings and mismatched sizes are refused', () => {
  assert.throws(() => clahe([1, 2], 1, 1), /2 values for a 1×1 image/);
  assert.throws(() => clahe([1], 1, 1, { tiles: 0, clip: 2 }), /tiles/);
  assert.throws(() => clahe([1], 1, 1, { tiles: 2.5, clip: 2 }), /tiles/);
  assert.throws(() => clahe([1], 1, 1, { tiles: 8, clip: 0.5 }), /clip/);
});
