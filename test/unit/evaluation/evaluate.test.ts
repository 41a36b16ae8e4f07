import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MetricAccumulator } from '../../../main/common/accumulator';
import type { GrayImage, Mask, ProbabilityMap } from '../../../main/common/image';
import { confusionOf, diceOf } from '../../../main/common/metrics';
import { evalJson, evaluateImages, predictedMask, type EvalImage } from '../../../main/evaluation';

/** Probability maps known in advance, one per image, standing in for the engine. */
function fakePredictor(maps: ProbabilityMap[]) {
  let next = 0;
  return { size: 2, predict: async (images: GrayImage[]) => images.map(() => maps[next++]!) };
}

function disk(w: number, h: number, cx: number, cy: number, r: number): Mask {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = (x - cx) ** 2 + (y - cy) ** 2 <= r * r ? 1 : 0;
  return { width: w, height: h, data };
}

function probOf(m: Mask, noise = 0): ProbabilityMap {
  return { width: m.width, height: m.height, data: Float32Array.from(m.data, (v, i) => Math.min(1, Math.abs(v * 0.9 + noise * Math.sin(i)))) };
}

const images: EvalImage[] = [
  { id: 'b1', className: 'benign', image: { width: 40, height: 30, data: new Uint8Array(1200) }, mask: disk(40, 30, 20, 15, 8) },
  { id: 'm1', className: 'malignant', image: { width: 50, height: 40, data: new Uint8Array(2000) }, mask: disk(50, 40, 20, 20, 10) },
  { id: 'n1', className: 'normal', image: { width: 30, height: 30, data: new Uint8Array(900) }, mask: disk(30, 30, -50, -50, 1) },
  { id: 'n2', className: 'normal', image: { width: 30, height: 30, data: new Uint8Array(900) }, mask: disk(30, 30, -50, -50, 1) },
];
const maps = [probOf(disk(40, 30, 22, 15, 8)), probOf(disk(50, 40, 20, 20, 7), 0.3), probOf(disk(30, 30, 10, 10, 4)), probOf(disk(30, 30, -50, -50, 1))];

test('evaluation scores with the accumulator on the cleaned-up mask, and --json reports the same numbers', async () => {
  const out = await evaluateImages(fakePredictor(maps), { inputSize: 32, resize: 'stretch', normalization: 'unit' }, images.length,
    async (i) => images[i]!, { threshold: 0.5, thumbnailSide: 16 });
  const acc = new MetricAccumulator(1024);
  images.forEach((im, i) => acc.add({ probability: maps[i]!, truth: im.mask, threshold: 0.5, label: im.className, prediction: predictedMask(maps[i]!, 0.5) }));
  const direct = acc.report();
  assert.deepEqual(out.report, direct);
  assert.equal(out.images[0]!.dice, diceOf(confusionOf(predictedMask(maps[0]!, 0.5), images[0]!.mask)));
  const j = evalJson(out.report, 0.5, 'model-x', 'cpu');
  assert.equal(j.dice, (out.images[0]!.dice + out.images[1]!.dice) / 2, 'Dice is the mean over images with a lesion');
  assert.equal(j.normalFpRate, 0.5, 'one of the two normal images shows a lesion after clean-up');
  assert.equal(j.perClass.normal!.n, 2);
  assert.ok(j.auc! > 0.8 && j.auc! <= 1);
  assert.deepEqual(Object.keys(j.perClass).sort(), ['benign', 'malignant', 'normal']);
  assert.equal(out.images[0]!.thumbnail!.width, 16);
});

test('perClass names every BUSI class, null when a class folder is missing; normalFpRate null without normals', async () => {
  const out = await evaluateImages(fakePredictor(maps), { inputSize: 32, resize: 'stretch', normalization: 'unit' }, 2, async (i) => images[i]!, { threshold: 0.5 });
  const j = evalJson(out.report, 0.5, 'm', 'cpu');
  assert.equal(j.perClass.normal, null);
  assert.equal(j.normalFpRate, null);
  assert.equal(j.n, 2);
});
