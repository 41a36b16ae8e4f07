import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { buildUNet } from '../../../main/engine/unet';
import { loadModel, saveEnsembleOf, saveHalfPrecisionCopy, saveModel } from '../../../main/engine/model-io';
import { ENSEMBLE_OUTPUT } from '../../../main/engine/ensemble-topology';
import { SonoError } from '../../../main/common/errors';

before(async () => {
  await initBackend({ prefer: 'cpu' });
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-ens-'));

async function saved(config: Parameters<typeof buildUNet>[0], seed: number): Promise<string> {
  const dir = tmp();
  const m = buildUNet(config, seed);
  // a gate that is not zero, so each member's gate matters
  if (config?.gate) m.getLayer('lesion_gate').setWeights([tf.randomNormal([8, 1], 0, 0.5, 'float32', seed), tf.tensor1d([0.3 * seed])]);
  await saveModel(m, dir);
  m.dispose();
  return dir;
}

test('an ensemble is one model whose map is the mean of its members\' maps (members in float32 and float16)', async () => {
  const a = await saved({ inputSize: 32, depth: 2, baseFilters: 2, gate: true }, 1);
  const b32 = await saved({ inputSize: 32, depth: 2, baseFilters: 2, gate: true, batchNorm: true }, 2);
  const b = tmp();
  saveHalfPrecisionCopy(b32, b);
  const c = await saved({ inputSize: 32, depth: 2, baseFilters: 4 }, 3);
  const dst = tmp();
  const { bytes } = saveEnsembleOf([a, b, c], dst);
  const members = await Promise.all([a, b, c].map((d) => loadModel(d)));
  assert.equal(bytes, [a, b, c].reduce((n, d) => n + fs.statSync(path.join(d, 'weights.bin')).size, 0));
  const ens = await loadModel(dst);
  assert.equal(ens.countParams(), members.reduce((n, m) => n + m.countParams(), 0));
  assert.equal(ens.outputs[0]!.name.startsWith(ENSEMBLE_OUTPUT), true);
  const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 5);
  const want = tf.tidy(() => tf.addN(members.map((m) => m.predict(x) as tf.Tensor)).div(3));
  const got = ens.predict(x) as tf.Tensor;
  const diff = tf.max(tf.abs(got.sub(want))).dataSync()[0]!;
  assert.ok(diff < 1e-6, `max difference ${diff}`);
  // the members really differ, so the mean is not one member's map
  const spread = tf.max(tf.abs((members[0]!.predict(x) as tf.Tensor).sub(members[2]!.predict(x) as tf.Tensor))).dataSync()[0]!;
  assert.ok(spread > 1e-3, `members differ by ${spread}`);
  tf.dispose([x, want, got]);
  [...members, ens].forEach((m) => m.dispose());
});

test('an ensemble needs two models with the same input', async () => {
  const a = await saved({ inputSize: 32, depth: 2, baseFilters: 2 }, 1);
  const big = await saved({ inputSize: 64, depth: 2, baseFilters: 2 }, 1);
  const invalid = (e: unknown) => e instanceof SonoError && e.code === 'INVALID_ARGUMENT';
  assert.throws(() => saveEnsembleOf([a], tmp()), invalid);
  assert.throws(() => saveEnsembleOf([a, big], tmp()), (e: unknown) => invalid(e) && /different inputs/.test((e as Error).message));
  assert.throws(() => saveEnsembleOf([a, path.join(a, 'nope')], tmp()), (e: unknown) => e instanceof SonoError && e.code === 'MODEL_NOT_FOUND');
});
