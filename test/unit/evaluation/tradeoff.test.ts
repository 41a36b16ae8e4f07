import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { tradeoffOf, type SettingScore } from '../../../main/evaluation';

/** A setting told apart by its threshold, scored on 10 normal images. */
function scored(threshold: number, dice: number | null, marked: number | null): SettingScore {
  return {
    flip: false, threshold, minMeanProbability: 0, minAreaFraction: 0.001, largestOnly: false, outlineRatio: 1,
    dice, iou: dice, diceAll: 0.5, normalFpRate: marked === null ? null : marked / 10, normalImages: marked === null ? 0 : 10, normalFpInterval: null,
  };
}

test('the trade-off keeps, per count of normal images marked, the best lesion Dice, and only where it improves on fewer marks', () => {
  const tried = [
    scored(0.1, 0.80, 6), // the most Dice, the most marks
    scored(0.2, 0.70, 2),
    scored(0.3, 0.72, 2), // beats 0.2 at the same count
    scored(0.4, 0.71, 3), // marks more than 0.3 for less Dice: not on the frontier
    scored(0.5, 0.60, 0),
    scored(0.6, 0.65, 0), // beats 0.5 at the same count
    scored(0.7, 0.78, 4),
  ];
  const frontier = tradeoffOf(tried);
  assert.deepEqual(frontier.map((p) => [p.normalMarked, p.dice, p.setting.threshold]), [[0, 0.65, 0.6], [2, 0.72, 0.3], [4, 0.78, 0.7], [6, 0.80, 0.1]]);
});

test('settings without lesion images or without normal images have no place on it', () => {
  assert.deepEqual(tradeoffOf([scored(0.5, null, 1), scored(0.6, 0.7, null)]), []);
  assert.equal(tradeoffOf([scored(0.5, 0.7, 1)]).length, 1);
});
