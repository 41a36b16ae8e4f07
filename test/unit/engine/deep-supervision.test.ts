import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { deepSupervisionLoss, diceBceLoss } from '../../../main/engine/loss';
import { loadModel } from '../../../main/engine/model-io';
import { ModelSession } from '../../../main/engine/model-session';
import { auxHeadName, buildUNet, mainOutputOnly, withAuxiliaryOutputs } from '../../../main/engine/unet';
import { lesionBatch } from './lesion-batch';
import { SonoError } from '../../../main/common/errors';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-deep-'));
before(async () => {
  await initBackend({ prefer: 'cpu' });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sides = (model: tf.LayersModel) => model.outputs.map((o) => o.shape.slice(1));

test('the heads watch the decoder at 1/2, 1/4 and 1/8 of the side (those it has); the kept model is the map alone', () => {
  const mobile = withAuxiliaryOutputs(buildUNet({ inputSize: 64, encoder: 'mobilenetv2', gate: true }, 5), 5);
  assert.deepEqual(sides(mobile), [[64, 64, 1], [32, 32, 1], [16, 16, 1], [8, 8, 1]]);
  assert.deepEqual(mobile.outputNames.slice(1).map((n) => n.split('/')[0]), [auxHeadName(1), auxHeadName(2), auxHeadName(3)]);
  assert.equal(withAuxiliaryOutputs(mobile), mobile, 'a model that has the heads keeps them');
  // a depth-2 classic U-Net has decoder levels 0 and 1 only
  const shallow = withAuxiliaryOutputs(buildUNet({ inputSize: 16, depth: 2, baseFilters: 4, batchNorm: true }, 5), 5);
  assert.deepEqual(sides(shallow), [[16, 16, 1], [8, 8, 1]]);
  assert.throws(() => withAuxiliaryOutputs(buildUNet({ inputSize: 16, depth: 1, baseFilters: 4 }, 5)),
    (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT' && /deep supervision/.test(e.message));

  const kept = mainOutputOnly(mobile);
  assert.equal(kept.outputs.length, 1);
  assert.equal(kept.countParams(), buildUNet({ inputSize: 64, encoder: 'mobilenetv2', gate: true }).countParams(), 'no head weights in the kept model');
  const x = tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 9);
  const all = mobile.predict(x) as tf.Tensor[];
  assert.deepEqual(Array.from((kept.predict(x) as tf.Tensor).dataSync()), Array.from(all[0]!.dataSync()));
  mobile.dispose();
  shallow.dispose();
});

test('the loss weighs each coarse map by 1/f against the share of lesion in its f×f cells, by hand', () => {
  // 4×4 target: a 2×2 lesion in the top-left cell and one pixel in the bottom-right cell
  const y = tf.tensor4d([
    1, 1, 0, 0,
    1, 1, 0, 0,
    0, 0, 0, 0,
    0, 0, 0, 1,
  ], [1, 4, 4, 1]);
  const p = tf.fill([1, 4, 4, 1], 0.3);
  const q = tf.tensor4d([0.9, 0.2, 0.1, 0.4], [1, 2, 2, 1]);
  const cells = [1, 0, 0, 0.25];
  // by hand at 2×2: BCE over the four cells, soft Dice with smooth 1
  const bce = -cells.reduce((s, t, i) => {
    const v = [0.9, 0.2, 0.1, 0.4][i]!;
    return s + t * Math.log(v) + (1 - t) * Math.log(1 - v);
  }, 0) / 4;
  const inter = 1 * 0.9 + 0.25 * 0.4;
  const dice = (2 * inter + 1) / (1.25 + 1.6 + 1);
  const coarse = bce + 1 - dice;
  const full = diceBceLoss(y, p).dataSync()[0]!;
  const want = (full + coarse / 2) / 1.5;
  const got = deepSupervisionLoss(y, p, [q]).dataSync()[0]!;
  assert.ok(Math.abs(got - want) < 1e-6, `${got} vs ${want}`);
  assert.ok(Math.abs(deepSupervisionLoss(y, p, []).dataSync()[0]! - full) < 1e-7, 'no coarse maps: the plain loss');
  assert.throws(() => deepSupervisionLoss(y, p, [tf.zeros([1, 3, 3, 1])]), /does not divide/);
});

test('a session with deep supervision trains the heads, keeps them in a checkpoint save and drops them from the kept model', async () => {
  const session = new ModelSession();
  // no batch norm or dropout: training and inference passes agree, so the loss can be recomputed by predict
  await session.build({ inputSize: 16, depth: 3, baseFilters: 4 }, 3, undefined, true);
  const model = (session as unknown as { model: tf.LayersModel }).model;
  assert.deepEqual(sides(model), [[16, 16, 1], [8, 8, 1], [4, 4, 1]]);
  const b = lesionBatch(4);
  const step = session.gradients(b);
  const x = tf.tensor4d(b.x, [b.n, 16, 16, 1]), y = tf.tensor4d(b.y, [b.n, 16, 16, 1]);
  const [map, ...coarse] = model.predict(x) as tf.Tensor[];
  const want = deepSupervisionLoss(y, map!, coarse).dataSync()[0]!;
  assert.ok(Math.abs(step.loss - want) < 1e-5, `${step.loss} vs ${want}`);
  assert.ok(Math.abs(step.loss - diceBceLoss(y, map!).dataSync()[0]!) > 1e-4, 'the heads change the loss');
  const head = model.trainableWeights.findIndex((w) => w.name.startsWith(`${auxHeadName(2)}/kernel`));
  assert.ok(head >= 0 && step.grads[head]!.some((g) => Math.abs(g) > 1e-6), 'the coarsest head gets a gradient');

  const maps = await session.predict([{ width: 16, height: 16, data: Uint8Array.from(b.x.slice(0, 256), (v) => Math.round(v * 255)) }], { inputSize: 16, resize: 'stretch', normalization: 'unit' });
  assert.equal(maps[0]!.width, 16, 'prediction answers the map');

  const kept = path.join(tmp, 'kept'), ckpt = path.join(tmp, 'ckpt');
  await session.save(kept);
  await session.save(ckpt, true);
  const keptModel = await loadModel(kept);
  assert.equal(keptModel.outputs.length, 1);
  assert.deepEqual(Array.from((keptModel.predict(x) as tf.Tensor).dataSync()), Array.from(map!.dataSync()));
  const again = new ModelSession();
  await again.load(ckpt);
  const restored = (again as unknown as { model: tf.LayersModel }).model;
  assert.deepEqual(sides(restored), sides(model), 'a checkpoint keeps its heads');
  assert.equal(again.gradients(b).loss, step.loss);
  // a plain folder loaded for a deep-supervised run gains fresh heads
  await again.load(kept, true, 3);
  assert.equal((again as unknown as { model: tf.LayersModel }).model.outputs.length, 3);
  keptModel.dispose();
  session.dispose();
  again.dispose();
});
