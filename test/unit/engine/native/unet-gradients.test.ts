import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadOneDnnAddon } from '../../../../main/engine/native/addon';
import { nativeConvCalls, nativeFallbacks, registerNativeConvKernels } from '../../../../main/engine/native/conv-kernels';
import { buildUNet } from '../../../../main/engine/unet';
import { initBackends, randomValues } from '../kernels/helpers';
import { checkUNetGradients, gradients } from '../kernels/unet-check';

/**
 * The whole small U-Net again, now with the oneDNN kernels on top of the wasm ones (the engine's
 * real configuration where the addon is built): every gradient matches the cpu backend.
 */
const load = loadOneDnnAddon();

before(async () => {
  await initBackends();
  if (load.ok) registerNativeConvKernels(load.addon);
});

for (const batchNorm of [false, true]) {
  test(`U-Net gradients with native convolutions match cpu (batchNorm ${batchNorm})`, { skip: !load.ok && 'addon not built' }, async () => {
    const before = nativeConvCalls();
    await checkUNetGradients(batchNorm, () => {
      assert.ok(nativeConvCalls() - before > 10, 'the native convolutions must have run');
    });
  });
}

/**
 * Every convolution of the U-Nets the app trains, forward and backward, runs in oneDNN: none falls back
 * to wasm (conv-kernels.ts sends strided 1×1 convolutions there, see its geometry()).
 */
for (const config of [
  { inputSize: 192, encoder: 'mobilenetv2' as const, gate: true }, // the shipped model's members
  { inputSize: 192, encoder: 'mobilenetv2-140' as const },
  { inputSize: 256, depth: 4, baseFilters: 16, batchNorm: true },
]) {
  test(`no convolution of the U-Net ${JSON.stringify(config)} falls back to wasm`, { skip: !load.ok && 'addon not built' }, async () => {
    await tf.setBackend('wasm');
    const model = buildUNet(config, 1);
    const size = config.inputSize;
    const x = randomValues(size * size, 31).map((v) => (v + 1) / 2);
    const y = randomValues(size * size, 32).map((v) => (v > 0.5 ? 1 : 0));
    const calls = nativeConvCalls(), fallbacks = nativeFallbacks();
    tf.dispose(gradients(model, x, y, 1, size));
    assert.ok(nativeConvCalls() - calls > 20, 'the native convolutions must have run');
    assert.equal(nativeFallbacks() - fallbacks, 0);
    model.dispose();
  });
}
