import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../main/cli/args';
import { augmentOption } from '../../../main/cli/train';
import { DEFAULT_AUGMENT, validateTrainOptions } from '../../../main/engine/train';

const parse = (argv: string[]) => parseArgs(argv, { values: ['augment'], flags: ['no-augment'] });

test('--augment key=value pairs override the defaults one by one; none means the defaults, --no-augment none at all', () => {
  assert.deepEqual(augmentOption(parse(['--augment', 'rotateDeg=20,scale=0.2, cropMin = 0.6'])), { rotateDeg: 20, scale: 0.2, cropMin: 0.6 });
  assert.deepEqual(augmentOption(parse([])), {});
  assert.equal(augmentOption(parse(['--no-augment'])), false);
  const o = validateTrainOptions({ data: '/d', augment: augmentOption(parse(['--augment', 'rotateDeg=20,speckle=0.3'])) });
  assert.deepEqual(o.augment, { ...DEFAULT_AUGMENT, rotateDeg: 20, speckle: 0.3 });
});

test('bad --augment text is refused with a message that says what is wrong', () => {
  const refused = (argv: string[], message: RegExp) =>
    assert.throws(() => validateTrainOptions({ data: '/d', augment: augmentOption(parse(argv)) }), { code: 'INVALID_ARGUMENT', message });
  refused(['--augment', 'rotate=20'], /unknown setting "rotate" \(one of flip, rotateDeg, scale/);
  refused(['--augment', 'rotateDeg'], /key=value pairs/);
  refused(['--augment', 'rotateDeg=20,,scale=0.1'], /key=value pairs/);
  refused(['--augment', 'scale=big'], /scale must be a number, got "big"/);
  refused(['--augment', 'scale=0.1,scale=0.2'], /scale is given twice/);
  refused(['--augment', 'scale=0.9'], /augmentation scale must be in \[0, 0\.5\], got 0\.9/);
  refused(['--augment', 'cropMin=0.1'], /augmentation cropMin must be in \[0\.3, 1\]/);
  refused(['--augment', 'scale=0.2', '--no-augment'], /contradict/);
});
