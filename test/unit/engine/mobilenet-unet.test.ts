import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadMobileNetV2, MOBILENET_V2_WEIGHTS } from '../../../main/engine/encoders/mobilenet-v2';
import { ModelSession } from '../../../main/engine/model-session';
import { buildUNet, copyWeightsByName, modelInputSize, validateUNetConfig } from '../../../main/engine/unet';

/** The U-Net with the pretrained MobileNetV2 encoder (--encoder mobilenetv2). */
before(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const DECODER = /^(gray_to_rgb|dec\d_(up|mix|mix_bn|conv|conv_bn)|probability)$/;

test('every encoder layer takes the published weights by name; only the input adapter and the decoder start fresh', async () => {
  const source = await loadMobileNetV2();
  const model = buildUNet({ inputSize: 64, encoder: 'mobilenetv2' }, 1);
  const fresh = copyWeightsByName(source, model);
  assert.ok(fresh.length > 0 && fresh.every((n) => DECODER.test(n)), fresh.join());
  const withWeights = model.layers.filter((l) => l.getWeights().length > 0).map((l) => l.name);
  const encoder = withWeights.filter((n) => !DECODER.test(n));
  assert.equal(encoder.length, withWeights.length - fresh.length);
  assert.ok(encoder.includes('Conv1') && encoder.includes('block_16_project_BN'));
  assert.equal(modelInputSize(model), 64);
  source.dispose();
  model.dispose();
});

test('a gray image in [0, 1] reaches the encoder as the [−1, 1] RGB image it was trained on: the features equal the published network’s', async () => {
  const source = await loadMobileNetV2();
  // the deepest skip; blocks up to 10 are exactly the ImageNet weights
  assertSameFeatures(source, { inputSize: 224, encoder: 'mobilenetv2' }, 'block_13_expand_relu', [1, 14, 14, 576]);
  source.dispose();
});

/**
 * Builds the U-Net at the published network's fixed 224² input, loads its weights by name and checks that
 * `layer` gives the published network's features for a random gray image (fed to it as [−1, 1] RGB).
 */
function assertSameFeatures(source: tf.LayersModel, config: Parameters<typeof buildUNet>[0], layer: string, shape: number[]): void {
  const model = buildUNet(config, 1);
  copyWeightsByName(source, model);
  tf.tidy(() => {
    const gray = tf.randomUniform([1, 224, 224, 1], 0, 1, 'float32', 5);
    const theirs = tf.model({ inputs: source.inputs, outputs: source.getLayer(layer).output }).predict(gray.mul(2).sub(1).tile([1, 1, 1, 3])) as tf.Tensor;
    const ours = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output }).predict(gray) as tf.Tensor;
    assert.deepEqual(ours.shape, shape);
    const diff = tf.max(tf.abs(ours.sub(theirs))).dataSync()[0]!;
    const scale = tf.max(tf.abs(theirs)).dataSync()[0]!;
    assert.ok(scale > 0.1 && diff <= 1e-4 * scale, `max diff ${diff} at scale ${scale}`);
  });
  model.dispose();
}

test('the engine builds it with the pretrained weights and reports the fresh layers', async () => {
  const session = new ModelSession();
  const summary = await session.build({ inputSize: 32, encoder: 'mobilenetv2', gate: true }, 3, MOBILENET_V2_WEIGHTS);
  assert.equal(summary.inputSize, 32);
  assert.equal(summary.gated, true);
  assert.ok(summary.freshLayers?.includes('lesion_gate') && summary.freshLayers.includes('dec0_conv'));
  assert.ok(!summary.freshLayers?.includes('block_5_expand'));
  session.dispose();
});

test('at output stride 16 the encoder stops after block 12: 1/16 features, ~0.70 M weights, still the published ones', async () => {
  const full = buildUNet({ inputSize: 160, encoder: 'mobilenetv2', gate: true }, 1);
  const os16 = buildUNet({ inputSize: 160, encoder: 'mobilenetv2', gate: true, outputStride: 16 }, 1);
  assert.equal(full.countParams(), 2_260_056);
  // the full member less blocks 13–16 (1 284 608) and the decoder level from 1/32 (271 200), and the gate's
  // dense layer reads 96 channels, not 320 (−224)
  assert.equal(os16.countParams(), 2_260_056 - 1_284_608 - 271_200 - 224);
  const names = os16.layers.map((l) => l.name);
  assert.ok(names.includes('block_12_project_BN') && !names.some((n) => n.startsWith('block_13_') || n.startsWith('dec4_')));
  assert.deepEqual(os16.getLayer('lesion_gate').getWeights()[0]!.shape, [96, 1]);
  assert.deepEqual((os16.outputs[0] as tf.SymbolicTensor).shape, [null, 160, 160, 1]);
  const source = await loadMobileNetV2();
  const fresh = copyWeightsByName(source, os16);
  assert.ok(fresh.every((n) => DECODER.test(n) || n === 'lesion_gate'), fresh.join());
  // the bottom (block 12's output) is the published network's
  assertSameFeatures(source, { inputSize: 224, encoder: 'mobilenetv2', outputStride: 16 }, 'block_12_add', [1, 14, 14, 96]);
  [full, os16, source].forEach((m) => m.dispose());
});

test('bad encoder settings are refused with a clear error', () => {
  assert.throws(() => validateUNetConfig({ inputSize: 144, encoder: 'mobilenetv2' }), /divisible by 32/);
  assert.equal(validateUNetConfig({ inputSize: 144, encoder: 'mobilenetv2', outputStride: 16 }).outputStride, 16);
  assert.throws(() => validateUNetConfig({ inputSize: 136, encoder: 'mobilenetv2', outputStride: 16 }), /input size 136 must be divisible/);
  assert.throws(() => validateUNetConfig({ inputSize: 128, encoder: 'mobilenetv2', outputStride: 8 as 16 }), /output stride must be 16 or 32, got 8/);
  assert.throws(() => validateUNetConfig({ inputSize: 128, outputStride: 16 }), /only to the MobileNetV2 encoder/);
  assert.throws(() => validateUNetConfig({ inputSize: 128, encoder: 'resnet50' as 'mobilenetv2' }), /unknown encoder resnet50/);
  assert.equal(validateUNetConfig({ inputSize: 128 }).encoder, undefined);
});
