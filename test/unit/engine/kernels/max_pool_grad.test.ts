import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { isTiled2x2 } from '../../../../main/engine/kernels/max_pool_grad';
import { wasmKernel } from '../../../../main/engine/kernels/wasm_ops';
import { isOurKernel, kernelCallCounts } from '../../../../main/engine/kernels';
import { assertClose, initBackends, maxRelError, onBackend, randomValues } from './helpers';

before(initBackends);

interface Case { shape: [number, number, number, number]; size: number; stride: number; pad: 'same' | 'valid'; tiled: boolean; ties?: boolean }
const cases: Case[] = [
  { shape: [2, 16, 16, 8], size: 2, stride: 2, pad: 'valid', tiled: true },
  { shape: [1, 6, 10, 3], size: 2, stride: 2, pad: 'same', tiled: true },
  // ReLU outputs: many windows of equal zeros, and plateaus of equal values.
  { shape: [2, 12, 8, 5], size: 2, stride: 2, pad: 'valid', tiled: true, ties: true },
  { shape: [1, 7, 9, 3], size: 2, stride: 2, pad: 'valid', tiled: false },
  { shape: [1, 7, 9, 3], size: 2, stride: 2, pad: 'same', tiled: false },
  { shape: [1, 9, 9, 2], size: 3, stride: 2, pad: 'same', tiled: false },
];

function grad(c: Case): tf.Tensor {
  const size = c.shape.reduce((a, b) => a * b, 1);
  let values = randomValues(size, 31 + c.shape[1]);
  if (c.ties) values = values.map((v) => Math.max(0, Math.round(v * 2) / 2));
  // wasm's own kernel (our fallback) drops the gradient of windows whose maximum is negative (see the
  // last test), so fallback shapes get non-negative inputs, as after a ReLU.
  if (!c.tiled) values = values.map(Math.abs);
  const x = tf.tensor4d(values, c.shape);
  const dy = (y: tf.Tensor): tf.Tensor => tf.tensor(randomValues(y.size, 77), y.shape);
  return tf.grad((t: tf.Tensor) => {
    const y = tf.maxPool(t as tf.Tensor4D, c.size, c.stride, c.pad);
    return tf.sum(tf.mul(y, dy(y)));
  })(x);
}

test('MaxPoolGrad matches cpu (ties included) and takes the plane path only for tiled 2×2', async () => {
  assert.ok(isOurKernel(tf.MaxPoolGrad));
  const before = kernelCallCounts()[tf.MaxPoolGrad] ?? 0;
  for (const c of cases) {
    const info = { shape: c.shape, dtype: 'float32' as const, dataId: {} };
    assert.equal(isTiled2x2(info, { filterSize: c.size, strides: c.stride, pad: c.pad }), c.tiled, JSON.stringify(c));
    const [expected] = await onBackend('cpu', () => grad(c));
    const [actual] = await onBackend('wasm', () => grad(c));
    assertClose(actual!, expected!, `maxPoolGrad ${JSON.stringify(c)}`);
  }
  assert.equal(kernelCallCounts()[tf.MaxPoolGrad], before + cases.length);
});

test('routing every tie to all maxima is rejected (the comparison can fail)', async () => {
  const c = cases[2]!;
  const [expected] = await onBackend('cpu', () => grad(c));
  const [wrong] = await onBackend('wasm', () => {
    const size = c.shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor4d(randomValues(size, 31 + c.shape[1]).map((v) => Math.max(0, Math.round(v * 2) / 2)), c.shape);
    const y = tf.maxPool(x, 2, 2, 'valid');
    const up = (t: tf.Tensor): tf.Tensor => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [c.shape[1], c.shape[2]]);
    return tf.mul(tf.cast(tf.equal(x, up(y)), 'float32'), up(tf.tensor(randomValues(y.size, 77), y.shape)));
  });
  assert.ok(maxRelError(wrong!, expected!) > 1e-3);
});

test('all-negative windows: our tiled path is right where wasm\'s own kernel drops the gradient', async () => {
  const shape: [number, number, number, number] = [1, 4, 4, 2];
  const x = randomValues(32, 3).map((v) => -Math.abs(v) - 0.1);
  const dy = randomValues(8, 4);
  const run = (useOriginal: boolean) => (): tf.Tensor => {
    const xt = tf.tensor4d(x, shape);
    const y = tf.maxPool(xt, 2, 2, 'valid');
    const inputs = { dy: tf.tensor(dy, y.shape), input: xt, output: y };
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
    if (!useOriginal) return tf.engine().runKernel(tf.MaxPoolGrad, inputs, attrs) as tf.Tensor;
    const info = wasmKernel(tf.MaxPoolGrad)({ inputs, backend: tf.backend() as BackendWasm, attrs }) as tf.TensorInfo;
    return tf.engine().makeTensorFromTensorInfo(info);
  };
  const [expected] = await onBackend('cpu', run(false));
  const [ours] = await onBackend('wasm', run(false));
  const [shipped] = await onBackend('wasm', run(true));
  assertClose(ours!, expected!, 'ours on negative windows');
  assert.ok(maxRelError(shipped!, expected!) > 1e-3, 'wasm\'s own MaxPoolGrad now handles negative maxima: drop the abs() above');
});
