import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadOneDnnAddon } from '../../../../main/engine/native/addon';
import { nativeConvCalls, registerNativeConvKernels } from '../../../../main/engine/native/conv-kernels';
import { initBackends } from '../kernels/helpers';
import { checkUNetGradients } from '../kernels/unet-check';

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
