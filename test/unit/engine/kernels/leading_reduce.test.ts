import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { sumIsLeading } from '../../../../main/engine/kernels/leading_reduce';
import { isOurKernel, kernelCallCounts } from '../../../../main/engine/kernels';
import { assertClose, initBackends, maxRelError, onBackend, randomValues } from './helpers';

before(initBackends);

const cases: { shape: number[]; axis: number[]; keepDims: boolean; leading: boolean }[] = [
  { shape: [4, 64, 64, 16], axis: [0, 1, 2], keepDims: false, leading: true },
  { shape: [3, 41, 67, 5], axis: [2, 0, 1], keepDims: true, leading: true },
  { shape: [300, 129], axis: [0], keepDims: false, leading: true },
  { shape: [4, 64, 64, 16], axis: [1, 2, 3], keepDims: false, leading: false },
  { shape: [4, 64, 64, 16], axis: [0, 1], keepDims: false, leading: false },
  { shape: [2, 8, 8, 4], axis: [0, 1, 2], keepDims: false, leading: false },
];

test('Sum and Mean match cpu on leading-axes (pooled) and other (original) reductions', async () => {
  assert.ok(isOurKernel(tf.Sum) && isOurKernel(tf.Mean));
  const before = kernelCallCounts()[tf.Sum] ?? 0;
  const beforeMean = kernelCallCounts()[tf.Mean] ?? 0;
  for (const c of cases) for (const op of [tf.sum, tf.mean]) {
    assert.equal(sumIsLeading({ shape: c.shape, dtype: 'float32', dataId: {} }, c.axis), c.leading, JSON.stringify(c));
    const run = (): tf.Tensor => op(tf.tensor(randomValues(c.shape.reduce((a, b) => a * b, 1), 9), c.shape), c.axis, c.keepDims);
    const [expected] = await onBackend('cpu', run);
    const [actual] = await onBackend('wasm', run);
    const shape = await onBackend('wasm', () => tf.tensor(run().shape));
    const cpuShape = await onBackend('cpu', () => tf.tensor(run().shape));
    assert.deepEqual(shape[0], cpuShape[0], `shape ${JSON.stringify(c)}`);
    assertClose(actual!, expected!, `${op === tf.sum ? 'sum' : 'mean'} ${JSON.stringify(c)}`);
  }
  assert.ok((kernelCallCounts()[tf.Sum] ?? 0) >= before + cases.length);
  assert.ok((kernelCallCounts()[tf.Mean] ?? 0) >= beforeMean + cases.length);
});

test('a sum over the wrong axes is rejected (the comparison can fail)', async () => {
  const x = (): tf.Tensor => tf.tensor(randomValues(4 * 64 * 64 * 16, 9), [4, 64 * 64, 16]);
  const [expected] = await onBackend('cpu', () => tf.sum(x(), [0, 1]));
  const [wrong] = await onBackend('wasm', () => tf.sum(x(), [0, 2]).slice([0], [16]));
  assert.ok(maxRelError(wrong!, expected!) > 1e-3);
});
