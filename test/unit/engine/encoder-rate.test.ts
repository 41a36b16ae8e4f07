import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../../../main/common/errors';
import { loadMobileNetV2, MOBILENET_V2_WEIGHTS } from '../../../main/engine/encoders/mobilenet-v2';
import { ModelSession } from '../../../main/engine/model-session';
import type { TensorBatch } from '../../../main/engine/protocol';
import { buildUNet, copyWeightsByName, encoderLayers } from '../../../main/engine/unet';

/** `--encoder-lr`: the pretrained encoder takes a share of each Adam step, the rest of the network all of it. */
before(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

test('the encoder is exactly the layers that take the published weights, at either output stride, gated or not', async () => {
  const source = await loadMobileNetV2();
  for (const config of [{ inputSize: 64 }, { inputSize: 64, gate: true }, { inputSize: 64, outputStride: 16 as const }]) {
    const model = buildUNet({ ...config, encoder: 'mobilenetv2' }, 1);
    const fresh = new Set(copyWeightsByName(source, model));
    const pretrained = model.layers.filter((l) => l.getWeights().length > 0 && !fresh.has(l.name)).map((l) => l.name);
    assert.deepEqual(encoderLayers(model).map((l) => l.name), pretrained, JSON.stringify(config));
    model.dispose();
  }
  source.dispose();
});

test('a U-Net without a pretrained encoder has none to slow down: a clear refusal', () => {
  const model = buildUNet({ inputSize: 32, depth: 2, baseFilters: 4 }, 1);
  assert.throws(() => encoderLayers(model), (e: unknown) => e instanceof SonoError && /--encoder/.test(e.message));
  model.dispose();
});

/** Each weight's change (model.weights order) over `steps` Adam steps on the same gradients. */
async function moves(encoderRate: number, grads: Float32Array[], steps: number): Promise<Float32Array[]> {
  const s = new ModelSession();
  await s.build({ inputSize: 32, encoder: 'mobilenetv2', gate: true }, 7, MOBILENET_V2_WEIGHTS);
  s.configureOptimizer({ learningRate: 1e-2, encoderRate });
  const before = s.getWeights();
  for (let i = 0; i < steps; i++) s.apply(grads);
  const after = s.getWeights();
  s.dispose();
  return after.map((a, i) => a.map((v, k) => v - before[i]![k]!));
}

test('with a factor m, every encoder weight moves m × what it moves at the full rate, over several Adam steps; the rest moves the same', async () => {
  const s = new ModelSession();
  await s.build({ inputSize: 32, encoder: 'mobilenetv2', gate: true }, 7, MOBILENET_V2_WEIGHTS);
  const x = new Float32Array(2 * 32 * 32).map((_, i) => (i * 7919 % 256) / 255);
  const y = new Float32Array(2 * 32 * 32).map((_, i) => (i % 32 > 10 && i % 32 < 20 && i < 32 * 32 ? 1 : 0));
  const batch: TensorBatch = { n: 2, size: 32, x, y };
  const { grads } = s.gradients(batch);
  s.dispose();
  const full = await moves(1, grads, 3);
  const slow = await moves(0.25, grads, 3);
  // the same architecture names the weights, in the order the session reports them
  const model = buildUNet({ inputSize: 32, encoder: 'mobilenetv2', gate: true }, 7);
  const names = model.weights.map((w) => w.originalName);
  const encoder = new Set(encoderLayers(model).flatMap((l) => l.trainableWeights.map((w) => w.originalName)));
  const trainable = new Set(model.trainableWeights.map((w) => w.originalName));
  model.dispose();
  assert.equal(names.length, full.length);
  assert.ok(encoder.has('Conv1/kernel') && encoder.has('block_16_project_BN/gamma') && !encoder.has('gray_to_rgb/kernel'));
  let checkedEncoder = 0, checkedRest = 0;
  names.forEach((name, i) => {
    if (!trainable.has(name)) return; // batch norm's moving statistics take no optimizer step
    const m = encoder.has(name) ? 0.25 : 1;
    const f = full[i]!, sl = slow[i]!;
    const scale = f.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    // at this tiny side many batch-norm shifts and scales get no gradient (the next training-mode batch
    // norm cancels them); the 192² models' do
    if (scale === 0) return;
    // float32 weights near 1 hold a step only to ~1e-7, and a few steps and subtractions add up
    for (let k = 0; k < f.length; k++) assert.ok(Math.abs(sl[k]! - m * f[k]!) <= 1e-4 * scale + 2e-6, `${name}[${k}]: ${sl[k]} vs ${m} × ${f[k]}`);
    if (m === 1) checkedRest++; else checkedEncoder++;
  });
  assert.ok(checkedEncoder >= 50 && checkedRest >= 20, `${checkedEncoder} encoder and ${checkedRest} other weights checked`);
});

test('a slowed step leaves no tensor behind (a leak of the encoder per step ran a 192² run out of wasm memory)', async () => {
  const s = new ModelSession();
  await s.build({ inputSize: 32, encoder: 'mobilenetv2' }, 7);
  s.configureOptimizer({ learningRate: 1e-3, encoderRate: 0.1 });
  const batch: TensorBatch = { n: 1, size: 32, x: new Float32Array(32 * 32).fill(0.5), y: new Float32Array(32 * 32) };
  const { grads } = s.gradients(batch);
  s.apply(grads); // Adam makes its moments on the first step
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) s.apply(grads);
  assert.equal(tf.memory().numTensors, before);
  s.dispose();
});

test("a factor outside (0, 1], or one for a model without an encoder, is refused when the optimizer is set up", async () => {
  const s = new ModelSession();
  await s.build({ inputSize: 32, encoder: 'mobilenetv2' }, 7);
  for (const bad of [0, 1.5, Number.NaN]) assert.throws(() => s.configureOptimizer({ learningRate: 1e-3, encoderRate: bad }), SonoError, String(bad));
  await s.build({ inputSize: 32, depth: 2, baseFilters: 4 }, 7);
  assert.throws(() => s.configureOptimizer({ learningRate: 1e-3, encoderRate: 0.5 }), SonoError);
  s.configureOptimizer({ learningRate: 1e-3 });
  s.dispose();
});
