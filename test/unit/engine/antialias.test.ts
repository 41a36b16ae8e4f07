import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { imageToInput, maskToTarget, validatePlan, type PreprocessPlan } from '../../../main/engine/preprocess';
import { validationCopy } from '../../../main/engine/train/data';
import { resizeBilinear, shrinkByArea } from '../../../main/common/resize';
import type { GrayImage, Mask } from '../../../main/common/image';

before(async () => {
  await initBackend({ prefer: 'cpu' });
});

const plain: PreprocessPlan = { inputSize: 2, resize: 'stretch', normalization: 'unit' };
const area: PreprocessPlan = { ...plain, antialias: true };

function input(image: GrayImage, plan: PreprocessPlan): number[] {
  return tf.tidy(() => Array.from(imageToInput(image, plan).dataSync()));
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `at ${i}: ${a[i]} against ${b[i]}`);
}

test('anti-aliased input keeps thin bright lines that bilinear sampling drops', () => {
  // every third row and column bright (255, 0, 0, ...) on 6×6 → 2×2: bilinear reads source pixels 1 and 4 only
  const data = new Uint8Array(36);
  for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) data[y * 6 + x] = x % 3 === 0 || y % 3 === 0 ? 255 : 0;
  const image = { width: 6, height: 6, data };
  assert.deepEqual(input(image, plain), [0, 0, 0, 0]);
  // each 3×3 cell holds 5 bright pixels of 9
  close(input(image, area), [5 / 9, 5 / 9, 5 / 9, 5 / 9], 1e-6);
});

test('anti-aliased input is the area mean of each cell, normalised as the plan says', () => {
  const image = { width: 4, height: 4, data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150]) };
  close(input(image, area), [25 / 255, 45 / 255, 105 / 255, 125 / 255], 1e-6);
  const z = tf.tidy(() => Array.from(imageToInput(image, { ...area, normalization: 'zscore' }).dataSync()));
  const mean = z.reduce((s, v) => s + v, 0) / 4;
  assert.ok(Math.abs(mean) < 1e-5);
});

test('a side that grows is resized bilinearly after the other side shrinks by area; a plan without it is unchanged', () => {
  // 3 wide (grows to 4) by 8 high (shrinks to 4)
  const data = Uint8Array.from({ length: 24 }, (_, i) => (i * 29) % 256);
  const image = { width: 3, height: 8, data };
  const plan = { ...area, inputSize: 4 };
  const expected = resizeBilinear(shrinkByArea(image, 3, 4), 4, 4).data.map((v) => v / 255);
  close(input(image, plan), expected, 1e-5);
  const old = resizeBilinear({ width: 3, height: 8, data: Float32Array.from(data) }, 4, 4).data.map((v) => v / 255);
  close(input(image, { ...plain, inputSize: 4 }), old, 1e-5);
});

test('an anti-aliased mask is lesion where more than half of the cell is', () => {
  // top-left cell 3 of 4 lesion, top-right 2 of 4, bottom-left 1 of 4, bottom-right 4 of 4
  const mask: Mask = { width: 4, height: 4, data: Uint8Array.from([1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1]) };
  const y = tf.tidy(() => Array.from(maskToTarget(mask, area).dataSync()));
  assert.deepEqual(y, [1, 0, 0, 1]);
});

test('the validation copy of an anti-aliased plan gives the input the model gets from the full image', () => {
  const w = 37, h = 23;
  const data = Uint8Array.from({ length: w * h }, (_, i) => ((i * 7919) % 997) % 256);
  const mask = Uint8Array.from({ length: w * h }, (_, i) => (i % w > 10 && i % w < 25 && i / w > 5 && i / w < 15 ? 1 : 0));
  const plan = { ...area, inputSize: 16 };
  const copy = validationCopy({ image: { width: w, height: h, data }, mask: { width: w, height: h, data: mask } }, plan);
  assert.deepEqual([copy.image.width, copy.image.height], [16, 16]);
  // the copy is rounded to 8 bits: within half a grey level of the full image's input
  close(input(copy.image, plan), input({ width: w, height: h, data }, plan), 0.5 / 255 + 1e-6);
  const target = tf.tidy(() => Array.from(maskToTarget({ width: w, height: h, data: mask }, plan).dataSync()));
  assert.deepEqual(Array.from(copy.mask.data), target);
});

test('a plan whose antialias is not true or false is refused', () => {
  assert.throws(() => validatePlan({ antialias: 'yes' as unknown as boolean }, 2), /antialias must be true or false/);
  assert.equal(validatePlan({ antialias: true }, 2).antialias, true);
  assert.equal(validatePlan({}, 2).antialias, undefined);
});
