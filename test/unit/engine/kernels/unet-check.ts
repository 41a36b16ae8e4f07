import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildUNet } from '../../../../main/engine/unet';
import { diceBceLoss } from '../../../../main/engine/loss';
import { assertClose, onBackend, randomValues } from './helpers';

/** Every trainable variable's gradient of Dice+BCE, in trainableWeights order, on the active backend. */
export function gradients(model: tf.LayersModel, x: Float32Array, y: Float32Array, n: number, size: number): tf.Tensor[] {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const pred = model.apply(tf.tensor4d(x, [n, size, size, 1]), { training: true }) as tf.Tensor;
    return diceBceLoss(tf.tensor4d(y, [n, size, size, 1]), pred);
  }, vars);
  return [value, ...vars.map((v) => grads[v.name]!)];
}

/**
 * Reproducible weights (He-scaled seeded uniform values), so a failure reproduces run to run.
 * Why not the model's own random init: a conv followed by batch norm has a gradient orthogonal to its
 * weights (BN is scale-invariant), and with a 1-channel positive image input the result is a small
 * difference of large sums; XNNPACK accumulates in float32 while the cpu backend accumulates in JS
 * doubles, so some random inits measured up to 1.6e-2 relative error on that one layer. That is float32
 * conditioning, not a kernel fault (against a float64 sum on random dy of that shape, wasm is off by ~2e-6).
 */
export function seedWeights(model: tf.LayersModel): void {
  model.trainableWeights.forEach((w, i) => {
    const shape = w.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const fanIn = shape.length === 4 ? shape[0]! * shape[1]! * shape[2]! : 1;
    const isGamma = w.name.includes('gamma');
    const values = randomValues(size, 100 + i).map((v) => (isGamma ? 1 + 0.1 * v : v * Math.sqrt(6 / fanIn)));
    w.write(tf.tensor(values, shape));
  });
}

/**
 * A small U-Net's loss and every variable's gradient on wasm (with whatever kernels are registered)
 * against the cpu backend, same weights; `checkRan` asserts the kernels under test actually ran.
 */
export async function checkUNetGradients(batchNorm: boolean, checkRan: () => void): Promise<void> {
  const n = 2;
  const size = batchNorm ? 48 : 32;
  await tf.setBackend('cpu');
  tf.util.assert(tf.getBackend() === 'cpu', () => 'cpu backend expected');
  const model = buildUNet({ inputSize: size, depth: batchNorm ? 3 : 2, baseFilters: batchNorm ? 4 : 8, batchNorm, dropout: 0 });
  seedWeights(model);
  const x = randomValues(n * size * size, 21).map((v) => (v + 1) / 2);
  const y = randomValues(n * size * size, 22).map((v) => (v > 0.3 ? 1 : 0));
  const expected = await onBackend('cpu', () => gradients(model, x, y, n, size));
  const actual = await onBackend('wasm', () => gradients(model, x, y, n, size));
  checkRan();
  assert.equal(actual.length, model.trainableWeights.length + 1);
  assertClose(actual[0]!, expected[0]!, 'loss');
  // Relative to each gradient's own magnitude (floor 1e-6): gradients of a mean loss are ≪ 1, so the
  // absolute floor of 1 would let even an all-zero gradient pass.
  model.trainableWeights.forEach((w, i) => {
    const g = expected[i + 1]!;
    assert.ok(g.some((v) => v !== 0), `cpu gradient of ${w.name} is all zero`);
    assertClose(actual[i + 1]!, g, `grad ${w.name}`, 1e-6);
  });
  model.dispose();
}
