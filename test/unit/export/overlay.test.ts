import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { composeOverlay, LESION_OUTLINE } from '../../../main/export/overlay';

test('the lesion is tinted, its boundary drawn and the background left as it was', () => {
  const w = 20, h = 20;
  const frame = { width: w, height: h, channels: 1 as const, data: new Uint8Array(w * h).fill(100) };
  const mask = { width: w, height: h, data: new Uint8Array(w * h) };
  for (let y = 5; y < 15; y++) for (let x = 5; x < 15; x++) mask.data[y * w + x] = 1;
  const out = composeOverlay(frame, mask);
  const px = (x: number, y: number): number[] => [...out.data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3)];
  assert.equal(out.channels, 3);
  assert.deepEqual(px(0, 0), [100, 100, 100]);
  assert.deepEqual(px(5, 5), [...LESION_OUTLINE]);
  assert.deepEqual(px(14, 9), [...LESION_OUTLINE]);
  const inside = px(10, 10);
  assert.ok(inside[0]! > 100 && inside[2]! < 100, `inside ${inside}`);
  assert.notDeepEqual(inside, [...LESION_OUTLINE]);
});

test('colour frames keep their colour outside the lesion', () => {
  const frame = { width: 2, height: 1, channels: 3 as const, data: Uint8Array.from([10, 20, 30, 40, 50, 60]) };
  const out = composeOverlay(frame, { width: 2, height: 1, data: new Uint8Array(2) });
  assert.deepEqual([...out.data], [10, 20, 30, 40, 50, 60]);
});
