import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../../../main/engine/unet';
import { diceBceLoss } from '../../../../main/engine/loss';
import { kernelCallCounts, resetKernelCallCounts } from '../../../../main/engine/kernels';
import { initBackends, randomValues } from './helpers';
import { checkUNetGradients } from './unet-check';

before(initBackends);

for (const batchNorm of [false, true]) {
  test(`U-Net gradients on wasm match cpu (batchNorm ${batchNorm})`, async () => {
    resetKernelCallCounts();
    await checkUNetGradients(batchNorm, () => {
      const counts = kernelCallCounts();
      assert.ok((counts[tf.Conv2DBackpropFilter] ?? 0) > 0, 'our Conv2DBackpropFilter was not used');
      assert.ok((counts[tf.Conv2DBackpropInput] ?? 0) > 0, 'our Conv2DBackpropInput was not used');
    });
  });
}

test('a full training step (Adam) on wasm leaves no wasm buffers behind', async () => {
  await tf.setBackend('wasm');
  const backend = tf.backend() as import('@tensorflow/tfjs-backend-wasm').BackendWasm;
  const model = buildUNet({ inputSize: 32, depth: 2, baseFilters: 4, batchNorm: true, dropout: 0.2 });
  const opt = tf.train.adam(1e-3);
  const x = tf.tensor4d(randomValues(2 * 32 * 32, 1), [2, 32, 32, 1]);
  const y = tf.tensor4d(randomValues(2 * 32 * 32, 2).map((v) => (v > 0 ? 1 : 0)), [2, 32, 32, 1]);
  const step = (): void => {
    const cost = opt.minimize(() => diceBceLoss(y, model.apply(x, { training: true }) as tf.Tensor), true);
    cost?.dispose();
  };
  step(); // the first step creates Adam's moment slots
  resetKernelCallCounts();
  const start = backend.numDataIds();
  step();
  assert.equal(backend.numDataIds(), start);
  assert.ok((kernelCallCounts()[tf.MaxPoolGrad] ?? 0) > 0 && (kernelCallCounts()[tf.Tile] ?? 0) > 0);
  tf.dispose([x, y]);
  model.dispose();
  opt.dispose();
});
