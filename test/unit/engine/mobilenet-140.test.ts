import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readPackagedModel } from '../../../main/engine/encoders/mobilenet-v2';
import { loadMobileNetV2W140, makeDivisible, MOBILENET_V2_140_WEIGHTS } from '../../../main/engine/encoders/mobilenet-v2-140';
import { ModelSession } from '../../../main/engine/model-session';
import { buildUNet, copyWeightsByName, validateUNetConfig } from '../../../main/engine/unet';

/** The U-Net with TF-Hub's MobileNetV2 width 1.4 as encoder (--encoder mobilenetv2-140). */
before(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const SCOPE = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/';

test('channels round as TF-slim rounds them', () => {
  assert.deepEqual([32, 16, 24, 32, 64, 96, 160, 320].map((c) => makeDivisible(c * 1.4)), [48, 24, 32, 48, 88, 136, 224, 448]);
  assert.equal(makeDivisible(24 * 6), 144);
  assert.equal(makeDivisible(3), 8);
});

test('the encoder takes every published weight up to block 16, each once, and gives the published features', async () => {
  const { modelTopology, weightSpecs, weightData } = readPackagedModel('mobilenet_v2_mid');
  const source = loadMobileNetV2W140();
  // every backbone weight but the final 1×1 convolution to 1792 channels (Conv_1), which the U-Net does not use
  const backbone = weightSpecs.filter((s) => s.name.includes('/MobilenetV2/') && !s.name.includes('/Conv_1/'));
  const count = (shapes: number[][]) => shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
  assert.equal(source.countParams(), count(backbone.map((s) => s.shape)));
  assert.ok(source.countParams() > 3_400_000, `${source.countParams()}`);

  const graph = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
  const model = buildUNet({ inputSize: 224, encoder: 'mobilenetv2-140', gate: true }, 1);
  const fresh = copyWeightsByName(source, model);
  assert.ok(fresh.every((n) => /^(gray_to_rgb|dec\d_\w+|probability|lesion_gate)$/.test(n)), fresh.join());
  tf.tidy(() => {
    const gray = tf.randomUniform([1, 224, 224, 1], 0, 1, 'float32', 7);
    // the hub module maps its [0, 1] RGB input to 2x − 1, as the U-Net's gray adapter starts
    for (const [node, layer, shape] of [
      ['MobilenetV2/expanded_conv_13/expand/Relu6', 'mnv2w140_expanded_conv_13_expand_relu', [1, 14, 14, 816]],
      ['MobilenetV2/expanded_conv_16/project/BatchNorm/FusedBatchNormV3', 'mnv2w140_expanded_conv_16_project', [1, 7, 7, 448]],
    ] as const) {
      const theirs = graph.execute(gray.tile([1, 1, 1, 3]), SCOPE + node) as tf.Tensor;
      const ours = tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output }).predict(gray) as tf.Tensor;
      assert.deepEqual(ours.shape, shape);
      const diff = tf.max(tf.abs(ours.sub(theirs))).dataSync()[0]!;
      const scale = tf.max(tf.abs(theirs)).dataSync()[0]!;
      assert.ok(scale > 0.1 && diff <= 1e-4 * scale, `${node}: max diff ${diff} at scale ${scale}`);
    }
  });
  graph.dispose();
  source.dispose();
  model.dispose();
});

test('the engine builds it with the pretrained weights, at output stride 16 too; bad sizes are refused', async () => {
  const session = new ModelSession();
  const summary = await session.build({ inputSize: 64, encoder: 'mobilenetv2-140', gate: true, outputStride: 16 }, 3, MOBILENET_V2_140_WEIGHTS);
  assert.equal(summary.inputSize, 64);
  assert.ok(summary.freshLayers?.includes('dec0_conv') && !summary.freshLayers.includes('mnv2w140_expanded_conv_5_expand'));
  session.dispose();
  assert.throws(() => validateUNetConfig({ inputSize: 144, encoder: 'mobilenetv2-140' }), /divisible by 32/);
});
