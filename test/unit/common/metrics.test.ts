import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { confusionOf, dice, iou, ratesOf, addConfusion, emptyConfusion } from '../../../main/common/metrics';
import type { Mask } from '../../../main/common/image';

const mask = (bits: number[], width = bits.length): Mask =>
  ({ width, height: bits.length / width, data: Uint8Array.from(bits) });

test('both empty is a perfect prediction: Dice = IoU = 1', () => {
  const e = mask([0, 0, 0, 0], 2);
  assert.equal(dice(e, e), 1);
  assert.equal(iou(e, e), 1);
  assert.deepEqual(confusionOf(e, e), { tp: 0, fp: 0, fn: 0, tn: 4 });
});

test('perfect, disjoint, and a prediction missing the truth', () => {
  const t = mask([1, 1, 0, 0], 2);
  assert.equal(dice(t, t), 1);
  assert.equal(iou(t, t), 1);
  const other = mask([0, 0, 1, 1], 2);
  assert.equal(dice(other, t), 0);
  assert.equal(iou(other, t), 0);
  assert.equal(dice(mask([0, 0, 0, 0], 2), t), 0);
  assert.equal(dice(t, mask([0, 0, 0, 0], 2)), 0); // lesion predicted on a normal image
});

test('half overlap: P = {0,1}, T = {1,2} gives Dice ½ and IoU ⅓', () => {
  const p = mask([1, 1, 0, 0]), t = mask([0, 1, 1, 0]);
  assert.deepEqual(confusionOf(p, t), { tp: 1, fp: 1, fn: 1, tn: 1 });
  assert.equal(dice(p, t), 0.5);
  assert.equal(iou(p, t), 1 / 3);
});

test('pooled rates from a hand-made confusion; 0/0 is null, not 0', () => {
  // tp 6, fp 2, fn 3, tn 9
  const r = ratesOf({ tp: 6, fp: 2, fn: 3, tn: 9 });
  assert.equal(r.precision, 6 / 8);
  assert.equal(r.recall, 6 / 9);
  assert.equal(r.f1, 12 / 17);
  assert.equal(r.accuracy, 15 / 20);
  assert.deepEqual(ratesOf({ tp: 0, fp: 0, fn: 0, tn: 5 }), { precision: null, recall: null, f1: null, accuracy: 1 });
  assert.deepEqual(ratesOf(emptyConfusion()), { precision: null, recall: null, f1: null, accuracy: null });
});

test('confusions add up over images and always sum to the pixel count', () => {
  const a = confusionOf(mask([1, 1, 0, 0]), mask([0, 1, 1, 0]));
  const b = confusionOf(mask([1, 0, 1]), mask([1, 1, 1]));
  const sum = addConfusion(addConfusion(emptyConfusion(), a), b);
  assert.deepEqual(sum, { tp: 3, fp: 1, fn: 2, tn: 1 });
  assert.equal(sum.tp + sum.fp + sum.fn + sum.tn, 7);
  assert.throws(() => confusionOf(mask([1, 0]), mask([1, 0, 0])), /differ in size/);
});
