import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_AUGMENT, drawAugment, IDENTITY_AUGMENT, validateAugment } from '../../../../main/engine/train/augment-params';
import { augmentIntensity } from '../../../../main/engine/train/augment-apply';
import { Rng } from '../../../../main/engine/train/rng';

test('the gain draws one number last and only when on, and multiplies grey values (clipped at white) before the rest', () => {
  const off = new Rng(11), on = new Rng(11);
  const a = drawAugment(off, DEFAULT_AUGMENT);
  assert.equal(a.gain, undefined, 'off: no gain in the draw');
  const g = drawAugment(on, { ...DEFAULT_AUGMENT, gain: 0.2 });
  const { gain, ...rest } = g;
  assert.deepEqual(rest, a, 'the other draws are the same');
  assert.ok(gain !== undefined && gain >= 0.8 && gain <= 1.2);
  off.next();
  assert.deepEqual(on.state(), off.state(), 'one more number');
  assert.throws(() => validateAugment({ gain: 0.6 }), /gain must be in \[0, 0.5\]/);
  // identity otherwise: × 1.2 takes 100 → 120 and 250 → 255 (clipped); none leaves the image as it is
  const image = { width: 3, height: 1, data: Uint8Array.from([0, 100, 250]) };
  assert.deepEqual(Array.from(augmentIntensity(image, { ...IDENTITY_AUGMENT, gain: 1.2 }).data), [0, 120, 255]);
  assert.deepEqual(Array.from(augmentIntensity(image, IDENTITY_AUGMENT).data), [0, 100, 250]);
  // before gamma: (0.4 × 1.2)^2 = 0.2304 → 59
  assert.deepEqual(Array.from(augmentIntensity({ width: 1, height: 1, data: Uint8Array.from([102]) }, { ...IDENTITY_AUGMENT, gain: 1.2, gamma: 2 }).data), [59]);
});
