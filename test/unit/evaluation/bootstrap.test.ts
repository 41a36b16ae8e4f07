import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ImageResult } from '../../../main/common/accumulator';
import { bootstrapIntervals } from '../../../main/evaluation/bootstrap';

const lesion = (dice: number): ImageResult => ({ label: 'benign', dice, iou: dice / (2 - dice), truthEmpty: false, lesionFound: dice > 0 });
const normal = (found: boolean): ImageResult => ({ label: 'normal', dice: found ? 0 : 1, iou: found ? 0 : 1, truthEmpty: true, lesionFound: found });

test('identical images give a zero-width interval at their value; a class that is absent gives null', () => {
  const ci = bootstrapIntervals([lesion(0.5), lesion(0.5), lesion(0.5)]);
  assert.deepEqual(ci.dice, { low: 0.5, high: 0.5 });
  assert.equal(ci.normalFpRate, null);
  assert.deepEqual(bootstrapIntervals([normal(false), normal(false)]).normalFpRate, { low: 0, high: 0 });
  assert.equal(bootstrapIntervals([normal(true)]).dice, null);
});

test('the interval holds the mean, lies within the values, and narrows as images are added', () => {
  // half the lesion images score 1 and half 0: the mean's standard error is 0.5/√n, so the 95 % interval
  // is about ±1.96·0.5/√n — ±0.098 for 100 images, ±0.049 for 400
  const set = (n: number) => Array.from({ length: n }, (_, i) => lesion(i % 2));
  for (const [n, half] of [[100, 0.098], [400, 0.049]] as const) {
    const { dice } = bootstrapIntervals(set(n), { resamples: 4000 });
    assert.ok(dice!.low < 0.5 && dice!.high > 0.5);
    assert.ok(Math.abs((dice!.high - dice!.low) / 2 - half) < 0.2 * half, `n=${n}: ${JSON.stringify(dice)}`);
  }
  // 7 of 27 normal images with a false lesion: 0.259, interval ≈ ±0.165 (binomial), inside [0, 1]
  const fp = bootstrapIntervals(Array.from({ length: 27 }, (_, i) => normal(i < 7)), { resamples: 4000 }).normalFpRate!;
  assert.ok(fp.low > 0.05 && fp.low < 0.259 && fp.high > 0.259 && fp.high < 0.45, JSON.stringify(fp));
});

test('the same images and seed give the same interval; another seed may differ slightly', () => {
  const images = [0.1, 0.5, 0.9, 0.7, 0.3, 0.95, 0].map(lesion).concat([normal(true), normal(false), normal(false)]);
  assert.deepEqual(bootstrapIntervals(images), bootstrapIntervals(images));
  const other = bootstrapIntervals(images, { seed: 2 });
  assert.ok(Math.abs(other.dice!.low - bootstrapIntervals(images).dice!.low) < 0.1);
});
