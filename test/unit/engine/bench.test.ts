import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runBenchmark } from '../../../main/engine/bench';
import { saveModel } from '../../../main/engine/model-io';
import { buildUNet } from '../../../main/engine/unet';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-bench-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('bench runs a model as its plan says (multi-scale sizes, mirroring) and reports the passes it timed', async () => {
  await tf.setBackend('cpu');
  const dir = path.join(tmp, 'tiny');
  await saveModel(buildUNet({ inputSize: 32, depth: 2, baseFilters: 4 }, 1), dir);
  const common = { modelDir: dir, workers: 1, backend: 'cpu' as const, trainSteps: 0, batchPerWorker: 1 };
  const plain = await runBenchmark(common);
  assert.deepEqual([plain.inputSize, plain.sizes, plain.flip], [32, [32], false]);
  const multi = await runBenchmark({ ...common, plan: { inputSize: 32, resize: 'stretch', normalization: 'unit', flip: true, sizes: [32, 64] } });
  assert.deepEqual([multi.inputSize, multi.sizes, multi.flip], [32, [32, 64], true]);
  assert.ok(multi.inferMsPerImage > 0 && multi.inferImagesPerSecond > 0);
  // a side the model cannot take fails the bench with the engine's error, not a figure
  await assert.rejects(runBenchmark({ ...common, plan: { inputSize: 32, resize: 'stretch', normalization: 'unit', sizes: [34] } }), { code: 'MODEL_INVALID' });
});
