import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../main/engine/backend';
import { loadModel, saveHalfPrecisionCopy, saveModel } from '../../../main/engine/model-io';
import { buildUNet } from '../../../main/engine/unet';
import { SonoError } from '../../../main/common/errors';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-modelio-'));
const good = path.join(tmp, 'good');

before(async () => {
  await initBackend({ prefer: 'cpu' });
  await saveModel(buildUNet({ inputSize: 32, depth: 2, baseFilters: 4 }), good);
});

function copyModel(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(good, dir, { recursive: true });
  return dir;
}

async function rejectsWith(dir: string, code: string): Promise<void> {
  await assert.rejects(loadModel(dir), (e: unknown) => e instanceof SonoError && e.code === code);
}

test('a saved U-Net loads back with identical weights', async () => {
  const model = buildUNet({ inputSize: 32, depth: 2, baseFilters: 4 });
  const dir = path.join(tmp, 'roundtrip');
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  const a = model.getWeights(), b = loaded.getWeights();
  assert.equal(a.length, b.length);
  a.forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(b[i]!.dataSync())));
});

test('a float16 copy has half the weight bytes, loads, and predicts within 1e-3 of the original', async () => {
  const model = buildUNet({ inputSize: 32, depth: 2, baseFilters: 4 }, 3);
  const dir = path.join(tmp, 'full');
  const halfDir = path.join(tmp, 'half');
  await saveModel(model, dir);
  const sizes = saveHalfPrecisionCopy(dir, halfDir);
  assert.equal(sizes.bytesBefore, fs.statSync(path.join(dir, 'weights.bin')).size);
  assert.equal(sizes.bytesAfter, fs.statSync(path.join(halfDir, 'weights.bin')).size);
  assert.equal(sizes.bytesAfter * 2, sizes.bytesBefore);
  const half = await loadModel(halfDir);
  const image = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 5);
  const a = (model.predict(image) as tf.Tensor).dataSync(), b = (half.predict(image) as tf.Tensor).dataSync();
  let worst = 0, moved = 0;
  for (let i = 0; i < a.length; i++) { worst = Math.max(worst, Math.abs(a[i]! - b[i]!)); if (a[i] !== b[i]) moved++; }
  assert.ok(worst < 1e-3, `largest probability change ${worst}`);
  assert.ok(moved > 0, 'the copy should not be bit-identical: the weights were rounded');
  await rejectsWith(path.join(tmp, 'nowhere'), 'MODEL_NOT_FOUND');
  assert.throws(() => saveHalfPrecisionCopy(path.join(tmp, 'nowhere'), path.join(tmp, 'x')), (e: unknown) => e instanceof SonoError && e.code === 'MODEL_NOT_FOUND');
});

test('under a size cap the copy stores its largest weights as 8-bit, loads, and predicts within 2e-2 of the original', async () => {
  const model = buildUNet({ inputSize: 32, depth: 2, baseFilters: 4 }, 3);
  const dir = path.join(tmp, 'full-q8');
  await saveModel(model, dir);
  const f32 = fs.statSync(path.join(dir, 'weights.bin')).size;
  const cap = Math.floor(f32 * 0.4);
  const sizes = saveHalfPrecisionCopy(dir, path.join(tmp, 'q8'), { maxBytes: cap });
  assert.ok(sizes.bytesAfter <= cap && sizes.uint8.length > 0, JSON.stringify(sizes));
  assert.equal(sizes.bytesAfter, fs.statSync(path.join(tmp, 'q8', 'weights.bin')).size);
  const q8 = await loadModel(path.join(tmp, 'q8'));
  const image = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 5);
  const a = (model.predict(image) as tf.Tensor).dataSync(), b = (q8.predict(image) as tf.Tensor).dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  assert.ok(worst < 2e-2, `largest probability change ${worst}`);
});

test('a missing folder or model.json is MODEL_NOT_FOUND', async () => {
  await rejectsWith(path.join(tmp, 'nowhere'), 'MODEL_NOT_FOUND');
});

test('truncated weights are MODEL_INVALID', async () => {
  const dir = copyModel('truncated');
  const w = path.join(dir, 'weights.bin');
  fs.writeFileSync(w, fs.readFileSync(w).subarray(0, 1000));
  await rejectsWith(dir, 'MODEL_INVALID');
});

test('a missing weight file is MODEL_INVALID', async () => {
  const dir = copyModel('noweights');
  fs.rmSync(path.join(dir, 'weights.bin'));
  await rejectsWith(dir, 'MODEL_INVALID');
});

test('corrupt model.json is MODEL_INVALID', async () => {
  const dir = copyModel('badjson');
  fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": {');
  await rejectsWith(dir, 'MODEL_INVALID');
});

test('a topology that does not match its weights is MODEL_INVALID', async () => {
  const dir = copyModel('mismatch');
  const other = path.join(tmp, 'wider');
  await saveModel(buildUNet({ inputSize: 32, depth: 2, baseFilters: 8 }), other);
  fs.copyFileSync(path.join(other, 'model.json'), path.join(dir, 'model.json'));
  await rejectsWith(dir, 'MODEL_INVALID');
});

test('a model with a 3-channel input is MODEL_INVALID (wrong shapes)', async () => {
  const input = tf.input({ shape: [32, 32, 3] });
  const out = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(input) as tf.SymbolicTensor;
  const dir = path.join(tmp, 'rgb');
  await saveModel(tf.model({ inputs: input, outputs: out }), dir);
  await rejectsWith(dir, 'MODEL_INVALID');
});

test('a weight path escaping the model folder is refused', async () => {
  const dir = copyModel('escape');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  json.weightsManifest[0].paths = ['../good/weights.bin'];
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  await rejectsWith(dir, 'MODEL_INVALID');
});
