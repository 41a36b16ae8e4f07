import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { isWholeRepeat } from '../../../../main/engine/kernels/tile_repeat';
import { isOurKernel, kernelCallCounts } from '../../../../main/engine/kernels';
import { assertClose, initBackends, maxRelError, onBackend, randomValues } from './helpers';

before(initBackends);

const cases: { shape: number[]; reps: number[]; whole: boolean }[] = [
  { shape: [1, 1, 1, 16], reps: [4, 64, 64, 1], whole: true }, // batch norm's gradient
  { shape: [1, 1, 5, 3], reps: [3, 7, 1, 1], whole: true },
  { shape: [1, 6], reps: [5, 1], whole: true },
  { shape: [2, 3], reps: [3, 1], whole: false },
  { shape: [1, 1, 1, 4], reps: [2, 3, 2, 1], whole: true },
  { shape: [1, 2, 1, 4], reps: [2, 1, 3, 1], whole: false },
  { shape: [1, 1, 1, 4], reps: [1, 1, 1, 3], whole: false },
];

test('Tile matches cpu; whole-tensor repeats take the copy path', async () => {
  assert.ok(isOurKernel(tf.Tile));
  const before = kernelCallCounts()[tf.Tile] ?? 0;
  for (const c of cases) {
    assert.equal(isWholeRepeat({ shape: c.shape, dtype: 'float32', dataId: {} }, c.reps), c.whole, JSON.stringify(c));
    const run = (): tf.Tensor => tf.tile(tf.tensor(randomValues(c.shape.reduce((a, b) => a * b, 1), 4), c.shape), c.reps);
    const [expected] = await onBackend('cpu', run);
    const [actual] = await onBackend('wasm', run);
    assertClose(actual!, expected!, `tile ${JSON.stringify(c)}`);
  }
  assert.equal(kernelCallCounts()[tf.Tile], before + cases.length);
});

test('a shifted repeat is rejected (the comparison can fail)', async () => {
  const run = (): tf.Tensor => tf.tile(tf.tensor(randomValues(16, 4), [1, 1, 1, 16]), [2, 8, 8, 1]);
  const [expected] = await onBackend('cpu', run);
  const [wrong] = await onBackend('wasm', () => tf.reverse(run(), [3]));
  assert.ok(maxRelError(wrong!, expected!) > 1e-3);
});
