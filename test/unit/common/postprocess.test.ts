import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_CLEANUP, dropUnsure, predictedMask, validateCleanup } from '../../../main/common/postprocess';
import type { ProbabilityMap } from '../../../main/common/image';

/** 20×10 map: a confident 4×4 square (p 0.9) on the left, a faint 4×4 square (p 0.6) on the right. */
function twoBlobs(): ProbabilityMap {
  const w = 20, h = 10, data = new Float32Array(w * h).fill(0.05);
  for (let y = 3; y < 7; y++) for (let x = 2; x < 6; x++) data[y * w + x] = 0.9;
  for (let y = 3; y < 7; y++) for (let x = 12; x < 16; x++) data[y * w + x] = 0.6;
  return { width: w, height: h, data };
}

const ones = (d: Uint8Array) => d.reduce((s, v) => s + v, 0);

test('the default clean-up keeps every component above the speck size, whatever its confidence', () => {
  const m = predictedMask(twoBlobs(), 0.5);
  assert.equal(ones(m.data), 32);
  assert.equal(DEFAULT_CLEANUP.minMeanProbability, 0);
});

test('a minimum mean probability drops the faint component and keeps the confident one', () => {
  const m = predictedMask(twoBlobs(), 0.5, { ...DEFAULT_CLEANUP, minMeanProbability: 0.75 });
  assert.equal(ones(m.data), 16);
  assert.equal(m.data[3 * 20 + 2], 1);
  assert.equal(m.data[3 * 20 + 12], 0);
  // the boundary: a component whose mean equals the limit is kept
  assert.equal(ones(predictedMask(twoBlobs(), 0.5, { ...DEFAULT_CLEANUP, minMeanProbability: 0.6 }).data), 32);
  assert.equal(ones(predictedMask(twoBlobs(), 0.5, { ...DEFAULT_CLEANUP, minMeanProbability: 0.61 }).data), 16);
});

test('largestOnly keeps the largest lesion the confidence filter left, not the largest blob', () => {
  const p = twoBlobs();
  // widen the faint square to 4×6: now the larger blob, but unsure
  for (let y = 3; y < 7; y++) for (let x = 12; x < 18; x++) p.data[y * 20 + x] = 0.6;
  const both = predictedMask(p, 0.5, { ...DEFAULT_CLEANUP, largestOnly: true });
  assert.equal(ones(both.data), 24);
  assert.equal(both.data[3 * 20 + 12], 1);
  const sure = predictedMask(p, 0.5, { ...DEFAULT_CLEANUP, minMeanProbability: 0.75, largestOnly: true });
  assert.equal(ones(sure.data), 16);
  assert.equal(sure.data[3 * 20 + 2], 1);
  // equal sizes: the first in raster order stays
  const tie = predictedMask(twoBlobs(), 0.5, { ...DEFAULT_CLEANUP, largestOnly: true });
  assert.equal(ones(tie.data), 16);
  assert.equal(tie.data[3 * 20 + 2], 1);
});

test('dropUnsure averages over the whole component, so a confident core with a faint rim is judged as one lesion', () => {
  const p = twoBlobs();
  // rim of the right square at 0.55, core at 1.0: mean (12·0.55 + 4·1) / 16 = 0.6625
  for (let y = 4; y < 6; y++) for (let x = 13; x < 15; x++) p.data[y * 20 + x] = 1;
  for (const [y, x] of [[3, 12], [3, 13], [3, 14], [3, 15], [6, 12], [6, 13], [6, 14], [6, 15], [4, 12], [5, 12], [4, 15], [5, 15]]) p.data[y! * 20 + x!] = 0.55;
  const mask = predictedMask(p, 0.5);
  assert.equal(ones(dropUnsure(mask, p, 0.66).data), 32);
  assert.equal(ones(dropUnsure(mask, p, 0.67).data), 16);
});

test('a clean-up read from a card is checked; older cards without the filter get 0', () => {
  assert.deepEqual(validateCleanup({ minAreaFraction: 0.002, fillHoles: false }), { minAreaFraction: 0.002, fillHoles: false, minMeanProbability: 0, largestOnly: false });
  assert.throws(() => validateCleanup({ largestOnly: 1 as unknown as boolean }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => validateCleanup({ minMeanProbability: 1.2 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => validateCleanup({ minAreaFraction: -1 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => validateCleanup({ fillHoles: 'yes' as unknown as boolean }), { code: 'INVALID_ARGUMENT' });
});
