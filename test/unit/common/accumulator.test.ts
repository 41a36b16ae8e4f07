import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MetricAccumulator } from '../../../main/common/accumulator';
import type { Mask, ProbabilityMap } from '../../../main/common/image';

const prob = (values: number[]): ProbabilityMap => ({ width: values.length, height: 1, data: Float32Array.from(values) });
const mask = (bits: number[]): Mask => ({ width: bits.length, height: 1, data: Uint8Array.from(bits) });

/** Three 4-pixel images, threshold 0.5. */
function threeImages(): MetricAccumulator {
  const acc = new MetricAccumulator(256);
  // benign: predicted {0,1}, truth {1,2}: tp 1, fp 1, fn 1, tn 1; Dice ½, IoU ⅓
  acc.add({ probability: prob([0.9, 0.6, 0.2, 0.1]), truth: mask([0, 1, 1, 0]), threshold: 0.5, label: 'benign' });
  // malignant: perfect, tp 2, tn 2
  acc.add({ probability: prob([0.8, 0.7, 0.3, 0.0]), truth: mask([1, 1, 0, 0]), threshold: 0.5, label: 'malignant' });
  // normal: nothing above threshold, empty truth: Dice = IoU = 1, tn 4
  acc.add({ probability: prob([0.4, 0.1, 0.1, 0.1]), truth: mask([0, 0, 0, 0]), threshold: 0.5, label: 'normal' });
  return acc;
}

test('means: Dice/IoU over lesion images, and over all images', () => {
  const r = threeImages().report();
  assert.equal(r.n, 3);
  assert.equal(r.dice, (0.5 + 1) / 2);
  assert.equal(r.iou, (1 / 3 + 1) / 2);
  assert.equal(r.diceAll, (0.5 + 1 + 1) / 3);
  assert.equal(r.iouAll, (1 / 3 + 1 + 1) / 3);
});

test('pooled confusion, rates and AUC', () => {
  const r = threeImages().report();
  assert.deepEqual(r.confusion, { tp: 3, fp: 1, fn: 1, tn: 7 });
  assert.equal(r.precision, 3 / 4);
  assert.equal(r.recall, 3 / 4);
  assert.equal(r.f1, 6 / 8);
  assert.equal(r.accuracy, 10 / 12);
  // lesion scores {0.6, 0.2, 0.8, 0.7} against background {0.9, 0.1, 0.3, 0.0, 0.4, 0.1, 0.1, 0.1}:
  // pairs won: 0.6 → 7, 0.2 → 5, 0.8 → 7, 0.7 → 7 = 26 of 32
  assert.equal(r.auc, 26 / 32);
  assert.equal(r.roc[0]!.tpr, 0);
  assert.equal(r.roc.at(-1)!.fpr, 1);
});

test('per class, and the normal-image false-positive rate', () => {
  const acc = threeImages();
  // a second normal image where a lesion is predicted
  const res = acc.add({ probability: prob([0.1, 0.95, 0.1, 0.1]), truth: mask([0, 0, 0, 0]), threshold: 0.5, label: 'normal' });
  assert.deepEqual(res, { label: 'normal', dice: 0, iou: 0, truthEmpty: true, lesionFound: true });
  const r = acc.report();
  assert.deepEqual(Object.keys(r.perClass), ['benign', 'malignant', 'normal']);
  assert.equal(r.normalFpRate, 1 / 2);
  assert.equal(r.emptyTruthImages, 2);
  const normal = r.perClass['normal']!;
  assert.equal(normal.n, 2);
  assert.equal(normal.dice, null); // no lesion image in this class
  assert.equal(normal.diceAll, 0.5);
  assert.equal(normal.recall, null);
  assert.equal(normal.auc, null);
  assert.equal(normal.falsePositiveImageRate, 0.5);
  assert.equal(r.perClass['malignant']!.dice, 1);
  assert.equal(r.perClass['benign']!.falsePositiveImageRate, null);
  assert.equal(r.perImage.length, 4);
});

test('a cleaned prediction or a lesionFound flag overrides the thresholded map', () => {
  const acc = new MetricAccumulator();
  // the speck at pixel 1 would be a false lesion; cleaning removed it
  acc.add({ probability: prob([0.1, 0.9, 0.1]), truth: mask([0, 0, 0]), threshold: 0.5, label: 'normal', prediction: mask([0, 0, 0]) });
  acc.add({ probability: prob([0.1, 0.9, 0.1]), truth: mask([0, 0, 0]), threshold: 0.5, label: 'normal', lesionFound: false });
  const r = acc.report();
  assert.equal(r.normalFpRate, 0);
  assert.deepEqual(r.confusion, { tp: 0, fp: 1, fn: 0, tn: 5 });
  assert.equal(new MetricAccumulator().report().normalFpRate, null);
  assert.equal(new MetricAccumulator().report().dice, null);
  assert.throws(() => acc.add({ probability: prob([0.1]), truth: mask([0, 0]), threshold: 0.5, label: 'x' }), /differ in size/);
});
