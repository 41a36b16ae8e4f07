import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { lovaszHingeLoss, lovaszHingePerImage } from '../../../main/engine/loss';
import { ModelSession } from '../../../main/engine/model-session';
import { lesionBatch } from './lesion-batch';
import { assertAddsLossTerm } from './loss-term';

before(async () => {
  await initBackend({ prefer: 'cpu' });
});

/** Berman's lovasz_hinge_flat (github.com/bermanmaxim/LovaszSoftmax, lovasz_losses.py), ported line by line. */
function referenceHinge(logits: number[], labels: number[]): number {
  const signs = labels.map((l) => 2 * l - 1);
  const errors = logits.map((z, i) => 1 - z * signs[i]!);
  const perm = errors.map((_, i) => i).sort((a, b) => errors[b]! - errors[a]!);
  const gtSorted = perm.map((i) => labels[i]!);
  const gts = gtSorted.reduce((a, b) => a + b, 0);
  let cumGt = 0, cumNot = 0;
  const jaccard = gtSorted.map((g) => {
    cumGt += g; cumNot += 1 - g;
    return 1 - (gts - cumGt) / (gts + cumNot);
  });
  const grad = jaccard.map((j, k) => (k === 0 ? j : j - jaccard[k - 1]!));
  return perm.reduce((sum, i, k) => sum + Math.max(errors[i]!, 0) * grad[k]!, 0);
}

const rows = (z: number[][], y: number[][]) => lovaszHingePerImage(tf.tensor2d(z), tf.tensor2d(y)).arraySync();

test('the Lovász hinge by hand: an empty target costs 1 + its highest logit, a right answer with margin costs 0', () => {
  // empty: every pixel's weight goes to the worst error, 1 + max z
  assert.ok(Math.abs(rows([[-3, 0.5, -1]], [[0, 0, 0]])[0]! - 1.5) < 1e-6);
  assert.equal(rows([[-3, -2, -1.5]], [[0, 0, 0]])[0], 0);
  // right with margin >= 1 everywhere
  assert.equal(rows([[2, -2, 1.5, -1]], [[1, 0, 1, 0]])[0], 0);
  // one lesion pixel found with margin 0 (error 0), one background pixel at logit 0.5 (error 1.5):
  // sorted errors 1.5 (background), 0 (lesion); IoU weights 1/2, 1/2 → 1.5 × 0.5 = 0.75
  assert.ok(Math.abs(rows([[1, 0.5]], [[1, 0]])[0]! - 0.75) < 1e-6);
  // a missed lesion pixel with nothing else wrong costs its whole error: 1 − (−2) = 3
  assert.ok(Math.abs(rows([[-2, -3, -3]], [[1, 0, 0]])[0]! - 3) < 1e-6);
});

test('the Lovász hinge equals Berman\'s reference algorithm on random maps, row by row', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const [n, count] of [[1, 9], [3, 64], [2, 400]] as const) {
    const z = Array.from({ length: n }, () => Array.from({ length: count }, () => (rand() - 0.5) * 8));
    const y = Array.from({ length: n }, (_, r) => Array.from({ length: count }, () => (r === 0 && n > 1 ? 0 : rand() < 0.3 ? 1 : 0)));
    const got = rows(z, y);
    z.forEach((zr, r) => {
      const want = referenceHinge(zr, y[r]!);
      assert.ok(Math.abs(got[r]! - want) < 1e-4 * Math.max(1, want), `row ${r} of ${n}×${count}: ${got[r]} vs ${want}`);
    });
  }
});

test('its gradient is the Lovász weight at each pixel\'s rank, signed, and matches finite differences', () => {
  // the hand case above: d/dz of 0.75 is +0.5 on the background pixel, 0 on the lesion pixel (error exactly 0)
  const g = tf.grad((z: tf.Tensor) => lovaszHingePerImage(z as tf.Tensor2D, tf.tensor2d([[1, 0]])).sum())(tf.tensor2d([[1, 0.5]])).arraySync() as number[][];
  assert.ok(Math.abs(g[0]![0]!) < 1e-7 && Math.abs(g[0]![1]! - 0.5) < 1e-6, JSON.stringify(g));
  // random 2 × 25 maps, no ties: central differences of the reference
  let seed = 3;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const z = [0, 1].map(() => Array.from({ length: 25 }, () => (rand() - 0.5) * 6));
  const y = [0, 1].map((r) => Array.from({ length: 25 }, () => (r === 1 ? 0 : rand() < 0.4 ? 1 : 0)));
  const grads = tf.grad((t: tf.Tensor) => lovaszHingePerImage(t as tf.Tensor2D, tf.tensor2d(y)).sum())(tf.tensor2d(z)).arraySync() as number[][];
  const h = 1e-4;
  z.forEach((row, r) => row.forEach((_, j) => {
    const up = row.slice(), down = row.slice();
    up[j]! += h; down[j]! -= h;
    const fd = (referenceHinge(up, y[r]!) - referenceHinge(down, y[r]!)) / (2 * h);
    assert.ok(Math.abs(grads[r]![j]! - fd) < 1e-3, `row ${r} pixel ${j}: ${grads[r]![j]} vs ${fd}`);
  }));
});

test('lovaszHingeLoss reads probabilities as logits and averages the images of a batch', () => {
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const p = tf.tensor4d([1, 0.5, -3, -2].map(sig), [2, 1, 2, 1]);
  const y = tf.tensor4d([1, 0, 0, 0], [2, 1, 2, 1]);
  // image 0 is the 0.75 case, image 1 empty with highest logit −2 → 0
  const got = lovaszHingeLoss(y, p).dataSync()[0]!;
  assert.ok(Math.abs(got - 0.375) < 1e-5, `${got}`);
});

test('gradients add lovaszWeight × the Lovász hinge of the training map, and only when asked', async () => {
  const { plain, on } = await assertAddsLossTerm((lovaszWeight) => ({ gateWeight: 0, lovaszWeight }), lovaszHingeLoss);
  assert.ok(on.grads.some((g, i) => g.some((v, k) => Math.abs(v - plain.grads[i]![k]!) > 1e-6)), 'the term moves the gradient');
});

test('a few steps with the Lovász hinge lower it on the training maps', async () => {
  const b = lesionBatch(4);
  const x = tf.tensor4d(b.x, [b.n, 16, 16, 1]), y = tf.tensor4d(b.y, [b.n, 16, 16, 1]);
  const session = new ModelSession();
  await session.build({ inputSize: 16, depth: 2, baseFilters: 4 }, 5);
  session.configureOptimizer({ learningRate: 1e-2 });
  const model = (session as unknown as { model: tf.LayersModel }).model;
  const hinge = () => lovaszHingeLoss(y, model.predict(x) as tf.Tensor).dataSync()[0]!;
  const before = hinge();
  for (let i = 0; i < 30; i++) session.apply(session.gradients(b, { gateWeight: 0, lovaszWeight: 1 }).grads);
  const after = hinge();
  assert.ok(after < before * 0.8, `Lovász hinge ${before} → ${after}`);
  session.dispose();
});
