import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { imageToInput, validatePlan, type PreprocessPlan } from '../../../main/engine/preprocess';
import { validationCopy } from '../../../main/engine/train/data';
import { clahe } from '../../../main/common/clahe';
import { resizeBilinear } from '../../../main/common/resize';

before(async () => {
  await initBackend({ prefer: 'cpu' });
});

const plain: PreprocessPlan = { inputSize: 8, resize: 'stretch', normalization: 'unit' };
const eq: PreprocessPlan = { ...plain, clahe: { tiles: 2, clip: 2 } };

function input(image: { width: number; height: number; data: Uint8Array }, plan: PreprocessPlan): number[] {
  return tf.tidy(() => Array.from(imageToInput(image, plan).dataSync()));
}

function speckled(w: number, h: number, seed: number): { width: number; height: number; data: Uint8Array } {
  let s = seed;
  const data = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = 40 + ((s >> 16) % 60) + (i % w > w / 2 ? 80 : 0);
  }
  return { width: w, height: h, data };
}

test('a CLAHE plan equalises the image at the model\'s size, after resizing and before normalising', () => {
  const image = speckled(20, 12, 7);
  const resized = resizeBilinear({ width: 20, height: 12, data: Float32Array.from(image.data) }, 8, 8);
  const expected = Array.from(clahe(resized.data, 8, 8, { tiles: 2, clip: 2 }), (v) => v / 255);
  const got = input(image, eq);
  assert.equal(got.length, 64);
  for (let i = 0; i < 64; i++) assert.ok(Math.abs(got[i]! - expected[i]!) < 1e-4, `at ${i}: ${got[i]} against ${expected[i]}`);
  // and it changes the input: the plain plan is the resized image / 255
  input(image, plain).forEach((v, i) => assert.ok(Math.abs(v - resized.data[i]! / 255) < 1e-4));
  assert.ok(got.some((v, i) => Math.abs(v - resized.data[i]! / 255) > 0.05));
});

test('a letterboxed CLAHE plan equalises the image only, not the padding', () => {
  const image = speckled(16, 8, 3);
  const got = input(image, { ...eq, resize: 'letterbox' });
  // 16×8 → 8×4 placed in rows 2–5; rows 0–1 and 6–7 are zero padding
  for (const row of [0, 1, 6, 7]) for (let x = 0; x < 8; x++) assert.equal(got[row * 8 + x], 0);
  const resized = resizeBilinear({ width: 16, height: 8, data: Float32Array.from(image.data) }, 8, 4);
  const inner = clahe(resized.data, 8, 4, { tiles: 2, clip: 2 });
  for (let i = 0; i < 32; i++) assert.ok(Math.abs(got[16 + i]! - inner[i]! / 255) < 1e-4);
});

test('the validation copy of a CLAHE plan gives the input the model gets from the full image', () => {
  const image = speckled(24, 16, 11);
  const mask = { width: 24, height: 16, data: new Uint8Array(24 * 16) };
  const copy = validationCopy({ image, mask }, eq);
  const a = input(image, eq), b = input(copy.image, eq);
  // the copy is rounded to whole grey levels, which may move a level by one bin
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 0.05, `at ${i}: ${a[i]} against ${b[i]}`);
});

test('a plan whose CLAHE settings are not {tiles, clip} in range is refused', () => {
  assert.deepEqual(validatePlan(eq, 8).clahe, { tiles: 2, clip: 2 });
  for (const bad of [{ tiles: 0, clip: 2 }, { tiles: 8, clip: 0 }, { tiles: 8 }, 'yes', null]) {
    assert.throws(() => validatePlan({ ...plain, clahe: bad as never }, 8), /CLAHE/);
  }
});
