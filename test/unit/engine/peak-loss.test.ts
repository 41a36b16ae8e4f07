import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { peakLesionLoss, peakPixels } from '../../../main/engine/loss';
import { ModelSession } from '../../../main/engine/model-session';
import { lesionBatch } from './lesion-batch';
import { assertAddsLossTerm } from './loss-term';

before(async () => {
  await initBackend({ prefer: 'cpu' });
});

const maps = () => tf.tensor4d([0.9, 0.8, 0.1, 0.2, 0.3, 0.6, 0.5, 0.1], [2, 2, 2, 1]);
const targets = () => tf.tensor4d([0, 1, 0, 0, 0, 0, 0, 0], [2, 2, 2, 1]); // image 0 has a lesion pixel, image 1 none

test('the peak loss is the BCE of the mean of the k most probable pixels against "any lesion pixel", by hand', () => {
  const got = peakLesionLoss(targets(), maps(), 2).dataSync()[0]!;
  // image 0: top-2 mean 0.85, lesion → −log 0.85; image 1: top-2 mean 0.55, empty → −log 0.45
  const want = (-Math.log(0.85) - Math.log(0.45)) / 2;
  assert.ok(Math.abs(got - want) < 1e-6, `${got} vs ${want}`);
  // ties at the k-th value all count: 0.5, 0.5, 0.5 average to 0.5
  const tied = peakLesionLoss(tf.zeros([1, 2, 2, 1]), tf.tensor4d([0.5, 0.5, 0.5, 0.1], [1, 2, 2, 1]), 2).dataSync()[0]!;
  assert.ok(Math.abs(tied + Math.log(0.5)) < 1e-6, `${tied}`);
  // a confident right answer costs ~0
  const sure = peakLesionLoss(targets(), tf.tensor4d([1, 1, 0, 0, 0, 0, 0, 0], [2, 2, 2, 1]), 2).dataSync()[0]!;
  assert.ok(sure >= 0 && sure < 1e-5, `${sure}`);
});

test('the peak loss sends its gradient to the top-k pixels only, evenly', () => {
  const g = tf.grad((p: tf.Tensor) => peakLesionLoss(targets(), p, 2))(maps()).dataSync();
  // d/dm of the mean BCE: image 0 −1/(2·0.85), image 1 +1/(2·0.45); each top pixel gets half of it
  const a = -1 / (2 * 0.85) / 2, b = 1 / (2 * 0.45) / 2;
  const want = [a, a, 0, 0, 0, b, b, 0];
  want.forEach((w, i) => assert.ok(Math.abs(g[i]! - w) < 1e-5, `pixel ${i}: ${g[i]} vs ${w}`));
});

test('k is the clean-up\'s smallest lesion: a map whose top-k mean is under t has no lesion the clean-up keeps', () => {
  assert.equal(peakPixels(192), 37); // ⌈0.001 · 192²⌉
  assert.equal(peakPixels(16), 1);
  assert.equal(peakPixels(256, 0.01), 656);
});

test('gradients add peakWeight × the peak loss of the training map, and only when asked', async () => {
  await assertAddsLossTerm((peakWeight) => ({ gateWeight: 0, peakWeight }), (y, map) => peakLesionLoss(y, map, peakPixels(16)));
});

test('with the peak loss a few steps leave a lower peak on the empty images than without it, and a high one on lesions', async () => {
  const b = lesionBatch(4);
  const x = tf.tensor4d(b.x, [b.n, 16, 16, 1]);
  const peaks = async (peakWeight: number): Promise<Float32Array> => {
    const session = new ModelSession();
    await session.build({ inputSize: 16, depth: 2, baseFilters: 4 }, 7);
    session.configureOptimizer({ learningRate: 1e-2 });
    for (let i = 0; i < 30; i++) session.apply(session.gradients(b, { gateWeight: 0, peakWeight }).grads);
    const model = (session as unknown as { model: tf.LayersModel }).model;
    const p = (model.predict(x) as tf.Tensor).reshape([b.n, -1]).max(1).dataSync() as Float32Array;
    session.dispose();
    return p;
  };
  const without = await peaks(0), withPeak = await peaks(0.5);
  const emptyPeak = (p: Float32Array) => Math.max(p[1]!, p[3]!);
  assert.ok(emptyPeak(withPeak) < emptyPeak(without), `highest pixel on an empty image: ${emptyPeak(withPeak)} with the peak loss vs ${emptyPeak(without)} without`);
  assert.ok(Math.min(withPeak[0]!, withPeak[2]!) > 0.5, `the lesions keep a confident peak: ${withPeak[0]}, ${withPeak[2]}`);
});
