import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { imageLesionLoss } from '../../../main/engine/loss';
import { ModelSession } from '../../../main/engine/model-session';
import { GATE_LAYER } from '../../../main/engine/unet';
import { lesionBatch } from './lesion-batch';

before(async () => {
  await initBackend({ prefer: 'cpu' });
});

test('the image-level loss is the BCE of each logit against "any lesion pixel", by hand', () => {
  const y = tf.zeros([3, 2, 2, 1]).bufferSync();
  y.set(1, 0, 1, 1, 0); // image 0: a lesion pixel
  y.set(1, 2, 0, 0, 0); // image 2: a lesion pixel; image 1: empty
  const logits = tf.tensor2d([[0], [2], [-3]]);
  const got = imageLesionLoss(y.toTensor(), logits).dataSync()[0]!;
  // log 2, log(1 + e²), log(1 + e³)
  const want = (Math.log(2) + Math.log(1 + Math.exp(2)) + Math.log(1 + Math.exp(3))) / 3;
  assert.ok(Math.abs(got - want) < 1e-6, `${got} vs ${want}`);
  // a confident right answer costs ~0, without overflow at large logits
  const sure = imageLesionLoss(y.toTensor(), tf.tensor2d([[80], [-80], [80]])).dataSync()[0]!;
  assert.ok(sure >= 0 && sure < 1e-6, `${sure}`);
});

test('gradients add gateWeight × the gate\'s image-level loss, and only when asked; an ungated model refuses it', async () => {
  const session = new ModelSession();
  // no batch norm or dropout: training and inference passes agree, so the loss can be recomputed by predict
  await session.build({ inputSize: 16, depth: 2, baseFilters: 4, gate: true }, 3);
  const b = lesionBatch(4);
  // a gate that already says something, so its loss is not the fresh log 2 everywhere
  const model = (session as unknown as { model: tf.LayersModel }).model;
  model.getLayer(GATE_LAYER).setWeights([tf.linspace(-1, 1, 16).reshape([16, 1]), tf.tensor1d([0.2])]);
  const plain = session.gradients(b);
  const off = session.gradients(b, { gateWeight: 0 });
  assert.equal(off.loss, plain.loss);
  const on = session.gradients(b, { gateWeight: 0.5 });

  const gateOut = tf.model({ inputs: model.inputs, outputs: model.getLayer(GATE_LAYER).output as tf.SymbolicTensor });
  const x = tf.tensor4d(b.x, [b.n, 16, 16, 1]), y = tf.tensor4d(b.y, [b.n, 16, 16, 1]);
  const gateLoss = imageLesionLoss(y, gateOut.predict(x) as tf.Tensor).dataSync()[0]!;
  assert.ok(Math.abs(on.loss - (plain.loss + 0.5 * gateLoss)) < 1e-5, `${on.loss} vs ${plain.loss} + 0.5 × ${gateLoss}`);
  // the gate's own kernel gets a different gradient with the loss on
  const gateIndex = model.trainableWeights.findIndex((w) => w.name.startsWith(`${GATE_LAYER}/kernel`));
  assert.ok(gateIndex >= 0);
  const diff = on.grads[gateIndex]!.reduce((m, v, i) => Math.max(m, Math.abs(v - plain.grads[gateIndex]![i]!)), 0);
  assert.ok(diff > 1e-6, `gate gradient moved by ${diff}`);

  await session.build({ inputSize: 16, depth: 2, baseFilters: 4 }, 3);
  assert.throws(() => session.gradients(b, { gateWeight: 0.5 }), /--gate/);
  session.dispose();
});

test('a few steps with the gate loss teach the gate to tell the empty images from those with a lesion', async () => {
  const session = new ModelSession();
  await session.build({ inputSize: 16, depth: 2, baseFilters: 4, gate: true }, 7);
  session.configureOptimizer({ learningRate: 1e-2 });
  const b = lesionBatch(4);
  const model = (session as unknown as { model: tf.LayersModel }).model;
  const gateOut = tf.model({ inputs: model.inputs, outputs: model.getLayer(GATE_LAYER).output as tf.SymbolicTensor });
  const x = tf.tensor4d(b.x, [b.n, 16, 16, 1]);
  for (let i = 0; i < 40; i++) session.apply(session.gradients(b, { gateWeight: 1 }).grads);
  const g = (gateOut.predict(x) as tf.Tensor).dataSync();
  for (let i = 0; i < b.n; i++) {
    if (i % 2 === 0) assert.ok(g[i]! > 0, `image ${i} has a lesion, gate logit ${g[i]}`);
    else assert.ok(g[i]! < 0, `image ${i} is empty, gate logit ${g[i]}`);
  }
  session.dispose();
});
