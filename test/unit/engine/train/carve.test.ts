import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { carveLesion, distanceToLesion, MAX_CARVE_MARGIN } from '../../../../main/engine/train/carve';
import { DEFAULT_AUGMENT, drawAugment, IDENTITY_AUGMENT } from '../../../../main/engine/train/augment-params';
import { augmentedBatch } from '../../../../main/engine/train/augment-apply';
import { donorOf } from '../../../../main/engine/train/trainer';
import { Rng } from '../../../../main/engine/train/rng';

const filled = (w: number, h: number, v: number) => ({ width: w, height: h, data: new Uint8Array(w * h).fill(v) });
/** a w×h mask with the square [x0, x1) × [y0, y1) set */
function square(w: number, h: number, x0: number, x1: number, y0: number, y1: number) {
  const m = filled(w, h, 0);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m.data[y * w + x] = 1;
  return m;
}
const count = (d: Uint8Array, v: number) => d.reduce((n, x) => n + (x === v ? 1 : 0), 0);

test('chamfer distance to a one-pixel lesion: 0 on it, 1 beside it, 4/3 diagonally, 2 two steps away', () => {
  const m = square(7, 7, 3, 4, 3, 4).data;
  const d = distanceToLesion(m, 7, 7);
  const at = (x: number, y: number) => d[y * 7 + x]!;
  assert.equal(at(3, 3), 0);
  assert.equal(at(2, 3), 1); assert.equal(at(3, 4), 1);
  assert.ok(Math.abs(at(2, 2) - 4 / 3) < 1e-6 && Math.abs(at(4, 4) - 4 / 3) < 1e-6);
  assert.equal(at(3, 1), 2); assert.equal(at(5, 3), 2);
  assert.ok(Math.abs(at(0, 0) - 4) < 1e-6, `three diagonal steps: ${at(0, 0)}`);
});

test('a carved lesion brings its own pixels and a rim of its tissue, resized to the target; the rest stays', () => {
  const target = { image: filled(20, 20, 10), mask: filled(20, 20, 0) };
  // a 10×10 donor: grey 200, lesion the 2×2 square at (4, 4); at 20×20 it is the 4×4 square at (8, 8)
  const donor = { image: filled(10, 10, 200), mask: square(10, 10, 4, 6, 4, 6) };
  // equivalent radius √(16/π) = 2.26 px; margin 0.5 → rim 1.13 px: the 4-neighbours' band (16 px), not its corners (4/3 px)
  const out = carveLesion(target, donor, 0.5);
  assert.equal(count(out.mask.data, 1), 16);
  assert.deepEqual(out.mask.data, square(20, 20, 8, 12, 8, 12).data);
  assert.equal(count(out.image.data, 200), 16 + 16);
  assert.equal(out.image.data[7 * 20 + 9], 200, 'the rim above the lesion');
  assert.equal(out.image.data[7 * 20 + 7], 10, 'the rim’s corner is farther than 1.13 px');
  assert.equal(count(target.image.data, 10), 400, 'the target is not modified');
  assert.equal(count(target.mask.data, 0), 400);
  // margin 0: the lesion alone
  assert.equal(count(carveLesion(target, donor, 0).image.data, 200), 16);
});

test('the carved region replaces the target’s own mask there, and a donor without a lesion changes nothing', () => {
  const target = { image: filled(12, 12, 50), mask: square(12, 12, 0, 12, 0, 6) };
  const donor = { image: filled(12, 12, 90), mask: square(12, 12, 4, 8, 4, 8) };
  const out = carveLesion(target, donor, MAX_CARVE_MARGIN);
  // rows 0–5 were lesion; the carved region (the donor's square + rim ≤ 1.13 px) keeps only the donor's lesion there
  assert.equal(out.mask.data[3 * 12 + 5], 0, 'inside the rim, above the donor lesion: the donor’s background');
  assert.equal(out.mask.data[0], 1, 'far from the donor: the target’s own lesion');
  assert.equal(out.mask.data[7 * 12 + 5], 1, 'the donor’s lesion');
  const none = carveLesion(target, { image: filled(12, 12, 90), mask: filled(12, 12, 0) }, 0.5);
  assert.equal(none, target);
});

test('carving draws its numbers only when it is on, so runs without it draw what they drew before', () => {
  const off = new Rng(7), plain = new Rng(7), on = new Rng(7);
  const a = drawAugment(off, { ...DEFAULT_AUGMENT, carve: 0 });
  const { carve: _unused, ...withoutCarve } = DEFAULT_AUGMENT;
  const b = drawAugment(plain, withoutCarve);
  assert.deepEqual(a, b);
  assert.equal(a.carve, null);
  assert.deepEqual(off.state(), plain.state());
  const c = drawAugment(on, { ...DEFAULT_AUGMENT, carve: 1 });
  assert.deepEqual({ ...c, carve: null }, a, 'the other draws are the same');
  assert.ok(c.carve && c.carve.donor >= 0 && c.carve.donor < 1 && c.carve.margin >= 0 && c.carve.margin <= MAX_CARVE_MARGIN);
  for (let i = 0; i < 3; i++) off.next();
  assert.deepEqual(on.state(), off.state(), 'three more numbers: on/off, donor, margin');
  // at a rate of 0.5 about half the images carve
  const rng = new Rng(1);
  let n = 0;
  for (let i = 0; i < 2000; i++) if (drawAugment(rng, { ...DEFAULT_AUGMENT, carve: 0.5 }).carve) n++;
  assert.ok(n > 900 && n < 1100, `${n} of 2000`);
});

test('a donor is any other lesion image, never the image itself', () => {
  assert.equal(donorOf([2, 5, 9], 5, 0.4), 9, 'u picks 5, itself: the next one');
  assert.equal(donorOf([2, 5, 9], 9, 0.99), 2, 'the last one is itself: wraps to the first');
  assert.equal(donorOf([2, 5, 9], 1, 0.0), 2);
  assert.equal(donorOf([2, 5, 9], 1, 0.999), 9);
  assert.equal(donorOf([4], 4, 0.5), undefined);
  assert.equal(donorOf([], 0, 0.5), undefined);
});

test('the worker carves before preprocessing: a normal image with a donor trains on the donor’s lesion', () => {
  const plan = { inputSize: 16, resize: 'stretch' as const, normalization: 'unit' as const };
  const image = filled(32, 32, 20), mask = filled(32, 32, 0);
  const donor = { image: filled(32, 32, 220), mask: square(32, 32, 8, 16, 8, 16) };
  const carved = augmentedBatch([{ image, mask, aug: { ...IDENTITY_AUGMENT, carve: { donor: 0, margin: 0 } }, donor }], plan);
  const plain = augmentedBatch([{ image, mask, aug: IDENTITY_AUGMENT, donor }], plan);
  const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
  assert.equal(sum(plain.y), 0, 'without a carve draw the donor is ignored');
  assert.equal(sum(carved.y), 16, 'the 8×8 lesion at half size');
  assert.ok(sum(carved.x) > sum(plain.x));
});
