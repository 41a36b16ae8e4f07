import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { validateTrainOptions } from '../../../../main/engine/train/options';
import { SonoError } from '../../../../main/common/errors';

const refused = (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT';

test('checkpoint selection defaults to lesion Dice; diceAll is accepted; anything else is refused', () => {
  assert.equal(validateTrainOptions({ data: '/d' }).selectOn, 'dice');
  assert.equal(validateTrainOptions({ data: '/d', selectOn: 'diceAll' }).selectOn, 'diceAll');
  assert.equal(validateTrainOptions({ data: '/d', selectOn: 'last' }).selectOn, 'last');
  assert.throws(() => validateTrainOptions({ data: '/d', selectOn: 'iou' as never }),
    (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT');
});

test('the peak loss is off by default and refuses a negative or missing weight', () => {
  assert.equal(validateTrainOptions({ data: '/d' }).peakLoss, undefined);
  assert.equal(validateTrainOptions({ data: '/d', peakLoss: 0.3 }).peakLoss, 0.3);
  assert.throws(() => validateTrainOptions({ data: '/d', peakLoss: -1 }), refused);
  assert.throws(() => validateTrainOptions({ data: '/d', peakLoss: Number.NaN }), refused);
});

test('the Lovász loss is off by default and refuses a negative or missing weight', () => {
  assert.equal(validateTrainOptions({ data: '/d' }).lovaszLoss, undefined);
  assert.equal(validateTrainOptions({ data: '/d', lovaszLoss: 0.3 }).lovaszLoss, 0.3);
  assert.throws(() => validateTrainOptions({ data: '/d', lovaszLoss: -1 }), refused);
  assert.throws(() => validateTrainOptions({ data: '/d', lovaszLoss: Number.NaN }), refused);
});

test('the gate loss is off by default, needs the gate, and refuses a negative weight', () => {
  assert.equal(validateTrainOptions({ data: '/d' }).gateLoss, undefined);
  assert.equal(validateTrainOptions({ data: '/d', unet: { gate: true }, gateLoss: 0.5 }).gateLoss, 0.5);
  assert.throws(() => validateTrainOptions({ data: '/d', gateLoss: 0.5 }), (e: unknown) => refused(e) && /--gate/.test((e as Error).message));
  assert.throws(() => validateTrainOptions({ data: '/d', unet: { gate: true }, gateLoss: -1 }), refused);
  assert.throws(() => validateTrainOptions({ data: '/d', unet: { gate: true }, gateLoss: Number.NaN }), refused);
});

test("the encoder's learning-rate factor is 1 (absent) by default, needs a pretrained encoder, and lies in (0, 1]", () => {
  const mobile = { data: '/d', unet: { inputSize: 64, encoder: 'mobilenetv2' as const } };
  assert.equal(validateTrainOptions(mobile).encoderLr, undefined);
  assert.equal(validateTrainOptions({ ...mobile, encoderLr: 1 }).encoderLr, undefined);
  assert.equal(validateTrainOptions({ ...mobile, encoderLr: 0.1 }).encoderLr, 0.1);
  assert.throws(() => validateTrainOptions({ data: '/d', encoderLr: 0.1 }), (e: unknown) => refused(e) && /--encoder/.test((e as Error).message));
  for (const bad of [0, -0.5, 1.5, Number.NaN]) assert.throws(() => validateTrainOptions({ ...mobile, encoderLr: bad }), refused, String(bad));
});
