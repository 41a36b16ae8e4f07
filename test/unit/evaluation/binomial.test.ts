import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { wilsonInterval } from '../../../main/evaluation';

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 5e-5, `${a} vs ${b}`);

test('Wilson 95 % intervals match hand-computed values', () => {
  // 0/13: centre = half = (1.96²/26) / (1 + 1.96²/13) = 0.11405 → [0, 0.2281]
  const none = wilsonInterval(0, 13)!;
  assert.equal(none.low, 0);
  near(none.high, 0.2281);
  // 5/10: centre 0.5, half = 1.96 / 1.38416 × √(0.025 + 3.8416/400) = 0.2634 → [0.2366, 0.7634]
  const half = wilsonInterval(5, 10)!;
  near(half.low, 0.2366);
  near(half.high, 0.7634);
  // 13/13 mirrors 0/13
  const all = wilsonInterval(13, 13)!;
  near(all.low, 1 - 0.2281);
  assert.equal(all.high, 1);
});

test('no images give no interval; an impossible count is an error', () => {
  assert.equal(wilsonInterval(0, 0), null);
  assert.throws(() => wilsonInterval(3, 2), RangeError);
  assert.throws(() => wilsonInterval(-1, 2), RangeError);
  assert.throws(() => wilsonInterval(0.5, 2), RangeError);
});
