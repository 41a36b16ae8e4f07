import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { finalMask } from '../../../main/export/final-mask';
import { countOnes, discProbability } from './synthetic';

/** 0.2 % of 50×40 = 4 px: drops a one-pixel speck */
const CLEAN = { minAreaFraction: 0.002, fillHoles: true, minMeanProbability: 0, largestOnly: false, outlineRatio: 1 };

test('the thresholded mask is cleaned; an edited mask replaces it untouched', () => {
  const p = discProbability(50, 40, 20, 20, 8);
  p.data[2] = 0.99; // a one-pixel speck far from the disc
  const raw = finalMask(p, 0.5, undefined, undefined);
  const cleaned = finalMask(p, 0.5, undefined, CLEAN);
  assert.equal(countOnes(raw.mask.data), countOnes(cleaned.mask.data) + 1);
  assert.equal(cleaned.edited, false);
  const edit = { width: 50, height: 40, data: new Uint8Array(2000) };
  edit.data[2] = 7;
  const e = finalMask(p, 0.5, edit, CLEAN);
  assert.equal(e.edited, true);
  assert.equal(countOnes(e.mask.data), 1);
  assert.equal(e.mask.data[2], 1);
});

test('a threshold outside 0..1 or an edited mask of another size is refused', () => {
  const p = discProbability(10, 10, 5, 5, 3);
  assert.throws(() => finalMask(p, 1.5, undefined, undefined), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => finalMask(p, 0.5, { width: 9, height: 10, data: new Uint8Array(90) }, undefined), { code: 'INVALID_ARGUMENT' });
});
