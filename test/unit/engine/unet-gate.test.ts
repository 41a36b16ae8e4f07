import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { buildUNet, copyWeightsByName, GATE_LAYER, modelInputSize, validateUNetConfig } from '../../../main/engine/unet';

before(async () => {
  await initBackend({ prefer: 'cpu' });
});

test('a gated U-Net is still one image in, one map out: sigmoid(logit + the image\'s offset); it starts as the plain U-Net', () => {
  const model = buildUNet({ inputSize: 32, depth: 2, baseFilters: 4, gate: true }, 5);
  assert.equal(modelInputSize(model), 32);
  const parts = tf.model({ inputs: model.inputs, outputs: [model.getLayer('probability').output as tf.SymbolicTensor, model.getLayer(GATE_LAYER).output as tf.SymbolicTensor] });
  const x = tf.randomUniform([3, 32, 32, 1], 0, 1, 'float32', 9);
  const out = (model.predict(x) as tf.Tensor).arraySync() as number[][][][];
  const [map, gate] = (parts.predict(x) as tf.Tensor[]).map((t) => t.arraySync()) as [number[][][][], number[][]];
  // a fresh gate adds 0: the output is the sigmoid of the head's logits
  for (let n = 0; n < 3; n++) {
    assert.equal(gate[n]![0], 0);
    for (const [y, xx] of [[0, 0], [7, 20], [31, 31]] as const) {
      assert.ok(Math.abs(out[n]![y]![xx]![0]! - 1 / (1 + Math.exp(-map[n]![y]![xx]![0]!))) < 1e-6);
    }
  }
  // with weights the offset differs per image and is added to every logit
  const dense = model.getLayer(GATE_LAYER);
  dense.setWeights([tf.fill([16, 1], 0.5), tf.tensor1d([-1])]);
  const out2 = (model.predict(x) as tf.Tensor).arraySync() as number[][][][];
  const [map2, gate2] = (parts.predict(x) as tf.Tensor[]).map((t) => t.arraySync()) as [number[][][][], number[][]];
  assert.notEqual(gate2[0]![0], gate2[1]![0]);
  for (let n = 0; n < 3; n++) {
    for (const [y, xx] of [[0, 0], [7, 20], [31, 31]] as const) {
      assert.ok(Math.abs(out2[n]![y]![xx]![0]! - 1 / (1 + Math.exp(-(map2[n]![y]![xx]![0]! + gate2[n]![0]!)))) < 1e-6);
    }
  }
  assert.equal(buildUNet({ inputSize: 32, depth: 2, baseFilters: 4 }).layers.some((l) => l.name === GATE_LAYER), false);
  assert.throws(() => validateUNetConfig({ gate: 'yes' as unknown as boolean }), /gate/);
  tf.dispose(x);
});

test('weights copy by layer name into a bigger input size and a gated model; only the gate starts fresh', () => {
  const small = buildUNet({ inputSize: 32, depth: 2, baseFilters: 4 }, 1);
  const big = buildUNet({ inputSize: 64, depth: 2, baseFilters: 4, gate: true }, 2);
  const fresh = copyWeightsByName(small, big);
  assert.deepEqual(fresh, [GATE_LAYER]);
  // same kernels and a fresh gate (offset 0): the maps of one 64² image agree
  const x = tf.randomUniform([1, 64, 64, 1], 0, 1, 'float32', 4);
  const smallAt64 = buildUNet({ inputSize: 64, depth: 2, baseFilters: 4 }, 3);
  assert.deepEqual(copyWeightsByName(small, smallAt64), []);
  const a = (smallAt64.predict(x) as tf.Tensor).dataSync(), b = (big.predict(x) as tf.Tensor).dataSync();
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-6, `pixel ${i}: ${v} vs ${b[i]}`));
  // a different width matches nothing
  const wide = buildUNet({ inputSize: 32, depth: 2, baseFilters: 8 }, 1);
  assert.ok(copyWeightsByName(small, wide).length > 5);
  tf.dispose(x);
});
