import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_CLEANUP, dropUnsure, growInto, predictedMask, validateCleanup } from '../../../main/common/postprocess';
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
  assert.deepEqual(validateCleanup({ minAreaFraction: 0.002, fillHoles: false }), { minAreaFraction: 0.002, fillHoles: false, minMeanProbability: 0, largestOnly: false, outlineRatio: 1 });
  assert.throws(() => validateCleanup({ outlineRatio: 0 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => validateCleanup({ outlineRatio: 1.1 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => validateCleanup({ largestOnly: 1 as unknown as boolean }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => validateCleanup({ minMeanProbability: 1.2 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => validateCleanup({ minAreaFraction: -1 }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => validateCleanup({ fillHoles: 'yes' as unknown as boolean }), { code: 'INVALID_ARGUMENT' });
});

/**
 * 24×12 map: a confident 4×4 core (p 0.9) inside a 8×8 halo (p 0.4), a lone faint 4×4 square
 * (p 0.4) elsewhere, and a 0.4 ring around a hole of background next to the core's halo.
 */
function coreWithHalo(): ProbabilityMap {
  const w = 24, h = 12, data = new Float32Array(w * h).fill(0.05);
  for (let y = 2; y < 10; y++) for (let x = 1; x < 9; x++) data[y * w + x] = 0.4;
  for (let y = 4; y < 8; y++) for (let x = 3; x < 7; x++) data[y * w + x] = 0.9;
  for (let y = 4; y < 8; y++) for (let x = 16; x < 20; x++) data[y * w + x] = 0.4;
  return { width: w, height: h, data };
}

test('an outline ratio below 1 grows each lesion found into its connected halo, and never finds a new one', () => {
  const p = coreWithHalo();
  const at = (m: { data: Uint8Array }, x: number, y: number) => m.data[y * 24 + x];
  assert.equal(ones(predictedMask(p, 0.5).data), 16, 'the edge at t: the core only');
  // t 0.5 × 0.8 = 0.4: the core takes in its 8×8 halo; the lone 0.4 square touches no lesion and stays out
  const grown = predictedMask(p, 0.5, { ...DEFAULT_CLEANUP, outlineRatio: 0.8 });
  assert.equal(ones(grown.data), 64);
  assert.equal(at(grown, 1, 2), 1);
  assert.equal(at(grown, 16, 4), 0);
  // 0.5 × 0.81 = 0.405 > 0.4: nothing to grow into
  assert.equal(ones(predictedMask(p, 0.5, { ...DEFAULT_CLEANUP, outlineRatio: 0.81 }).data), 16);
  // the filters judge the components at t: a floor of 0.95 drops the core, so nothing is grown and the image stays empty
  assert.equal(ones(predictedMask(p, 0.5, { ...DEFAULT_CLEANUP, minMeanProbability: 0.95, outlineRatio: 0.5 }).data), 0);
  // and a floor of 0.85 keeps the core (its mean at t is 0.9), though the grown lesion's mean would be far lower
  assert.equal(ones(predictedMask(p, 0.5, { ...DEFAULT_CLEANUP, minMeanProbability: 0.85, outlineRatio: 0.8 }).data), 64);
});

test('the grown outline fills its holes when the clean-up does, and largestOnly compares the grown lesions', () => {
  const p = coreWithHalo();
  p.data[3 * 24 + 2] = 0.05; // a one-pixel hole in the halo, enclosed by it
  const filled = predictedMask(p, 0.5, { ...DEFAULT_CLEANUP, outlineRatio: 0.8 });
  assert.equal(filled.data[3 * 24 + 2], 1);
  const open = predictedMask(p, 0.5, { ...DEFAULT_CLEANUP, fillHoles: false, outlineRatio: 0.8 });
  assert.equal(open.data[3 * 24 + 2], 0);
  assert.equal(ones(open.data), 63);
  // a second, larger confident core at (16..19, 4..7) without a halo: at t the two cores tie (16 px each) and the
  // first in raster order stays; grown, the haloed one (64 px) is the largest
  const q = coreWithHalo();
  for (let y = 4; y < 8; y++) for (let x = 16; x < 20; x++) q.data[y * 24 + x] = 0.9;
  for (let x = 16; x < 20; x++) q.data[3 * 24 + x] = 0.9; // 20 px: larger than the first core at t
  assert.equal(predictedMask(q, 0.5, { ...DEFAULT_CLEANUP, largestOnly: true }).data[4 * 24 + 16], 1);
  const largest = predictedMask(q, 0.5, { ...DEFAULT_CLEANUP, largestOnly: true, outlineRatio: 0.8 });
  assert.equal(ones(largest.data), 64);
  assert.equal(largest.data[4 * 24 + 16], 0);
});

test('growInto keeps what it was given even where the map is below the low threshold', () => {
  const p = coreWithHalo();
  const found = { width: 24, height: 12, data: new Uint8Array(24 * 12) };
  found.data[0] = 1; // a pixel at p 0.05, unconnected to anything above 0.4
  found.data[5 * 24 + 4] = 1; // inside the core
  const g = growInto(found, p, 0.4, true);
  assert.equal(g.data[0], 1);
  assert.equal(ones(g.data), 65);
});
