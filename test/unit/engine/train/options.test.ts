import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { validateTrainOptions } from '../../../../main/engine/train/options';
import { SonoError } from '../../../../main/common/errors';

test('checkpoint selection defaults to lesion Dice; diceAll is accepted; anything else is refused', () => {
  assert.equal(validateTrainOptions({ data: '/d' }).selectOn, 'dice');
  assert.equal(validateTrainOptions({ data: '/d', selectOn: 'diceAll' }).selectOn, 'diceAll');
  assert.throws(() => validateTrainOptions({ data: '/d', selectOn: 'iou' as never }),
    (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT');
});
