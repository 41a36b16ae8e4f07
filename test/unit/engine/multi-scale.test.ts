import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { ModelSession } from '../../../main/engine/model-session';
import { imageToInput, outputToProbability, validatePlan, type PreprocessPlan } from '../../../main/engine/preprocess';
import { buildUNet, copyWeightsByName } from '../../../main/engine/unet';
import type { GrayImage, ProbabilityMap } from '../../../main/common/image';

before(async () => {
  await initBackend({ prefer: 'cpu' });
});

const config = { inputSize: 32, depth: 2, baseFilters: 4, batchNorm: true, gate: true };

/** Gray images of odd, non-square sizes with a bright ellipse on a gradient. */
function image(width: number, height: number, k: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = ((x - width / 2) / (width / 4)) ** 2 + ((y - height / 3) / (height / 5)) ** 2 <= 1;
      data[y * width + x] = inside ? 220 : (x * 3 + y * 5 + k * 17) % 120;
    }
  }
  return { width, height, data };
}

/** The reference: a U-Net built at each side, the session's weights copied in by name, maps averaged at the image's size. */
function reference(weights: tf.LayersModel, images: GrayImage[], plan: PreprocessPlan, sizes: number[]): Float32Array[] {
  const sums = images.map((im) => new Float32Array(im.width * im.height));
  for (const size of sizes) {
    const model = buildUNet({ ...config, inputSize: size }, 99);
    assert.deepEqual(copyWeightsByName(weights, model), []);
    const at = { ...plan, inputSize: size };
    images.forEach((im, i) => {
      const map = tf.tidy(() => {
        const x = imageToInput(im, at).expandDims(0) as tf.Tensor4D;
        let out = model.predict(x) as tf.Tensor4D;
        if (plan.flip) out = out.add(tf.reverse(model.predict(tf.reverse(x, 2)) as tf.Tensor4D, 2)).mul(0.5);
        return outputToProbability(out.squeeze([0]) as tf.Tensor3D, im.width, im.height, at).dataSync() as Float32Array;
      });
      map.forEach((v, j) => { sums[i]![j]! += v / sizes.length; });
    });
    model.dispose();
  }
  return sums;
}

function maxDiff(a: ProbabilityMap[], b: Float32Array[]): number {
  let d = 0;
  a.forEach((m, i) => m.data.forEach((v, j) => { d = Math.max(d, Math.abs(v - b[i]![j]!)); }));
  return d;
}

/** The session's own model (its layers and weights). */
const modelOf = (s: ModelSession) => (s as unknown as { model: tf.LayersModel }).model;

test('multi-scale: the maps at each input side, resized back and averaged, equal U-Nets built at those sides', async () => {
  const session = new ModelSession();
  await session.build(config, 5);
  // batch norm's statistics and the gate away from their fresh values, so every layer matters
  const model = modelOf(session);
  model.setWeights(model.weights.map((v, i) => tf.tidy(() => (/moving_variance|gamma/.test(v.name)
    ? v.read().mul(tf.randomUniform(v.shape as number[], 0.5, 1.5, 'float32', i + 1))
    : v.read().add(tf.randomUniform(v.shape as number[], -0.1, 0.1, 'float32', i + 1))))));
  const images = [image(45, 37, 1), image(60, 41, 2)];
  for (const plan of [
    validatePlan({ inputSize: 32, sizes: [32, 48, 64] }, 32),
    validatePlan({ inputSize: 32, sizes: [64, 32], flip: true }, 32),
    validatePlan({ inputSize: 32, resize: 'letterbox', sizes: [48] }, 32),
  ]) {
    const got = await session.predict(images, plan);
    assert.deepEqual(got.map((m) => [m.width, m.height]), [[45, 37], [60, 41]]);
    const d = maxDiff(got, reference(model, images, plan, plan.sizes!));
    assert.ok(d < 1e-5, `${JSON.stringify(plan)}: max difference ${d}`);
  }
  // no sizes is the model's own side alone, exactly; and the sides really differ
  const own = await session.predict(images, validatePlan({ inputSize: 32 }, 32));
  const one = await session.predict(images, validatePlan({ inputSize: 32, sizes: [32] }, 32));
  assert.deepEqual(own.map((m) => Array.from(m.data)), one.map((m) => Array.from(m.data)));
  const big = await session.predict(images, validatePlan({ inputSize: 32, sizes: [64] }, 32));
  assert.ok(maxDiff(big, own.map((m) => m.data)) > 1e-3);
  session.dispose();
});

test('multi-scale: new weights reach the other sides (the copies are dropped when the weights change)', async () => {
  const session = new ModelSession();
  await session.build(config, 6);
  const images = [image(40, 40, 3)];
  const plan = validatePlan({ inputSize: 32, sizes: [64] }, 32);
  const before = await session.predict(images, plan);
  const shifted = session.getWeights().map((w) => w.map((v) => v * 1.5 + 0.01));
  session.setWeights(shifted);
  const after = await session.predict(images, plan);
  assert.ok(maxDiff(after, before.map((m) => m.data)) > 1e-3);
  assert.ok(maxDiff(after, reference(modelOf(session), images, plan, [64])) < 1e-5);
  session.dispose();
});

test('multi-scale: a side the model cannot take, or a bad list of sizes, is refused with a clear error', async () => {
  const session = new ModelSession();
  await session.build(config, 7);
  // depth 2 halves twice: 34 → 17 → 8, and 8 up-sampled does not meet the 17 it must join
  await assert.rejects(session.predict([image(40, 40, 4)], validatePlan({ inputSize: 32, sizes: [32, 34] }, 32)), { code: 'MODEL_INVALID', message: /cannot run at input size 34/ });
  // the model itself still answers
  assert.equal((await session.predict([image(40, 40, 4)], validatePlan({ inputSize: 32 }, 32))).length, 1);
  for (const sizes of [[], [16], [64, 64], [40.5], 'big']) {
    assert.throws(() => validatePlan({ inputSize: 32, sizes: sizes as number[] }, 32), { code: 'MODEL_INVALID' }, JSON.stringify(sizes));
  }
  session.dispose();
});
