import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Mask, ProbabilityMap } from '../../main/common/image';
import type { EpochLog } from '../../main/engine/train';
import { evalJson, evaluateImages, writeReport, type EvalImage } from '../../main/evaluation';

/**
 * Renders an evaluation report in headless Chromium and checks its plots are there and drawn.
 * Run: npx tsc -p tsconfig.main.json && node --test dist/test/browser/report.test.js
 * Screenshot: /tmp/sonoseg-report.png (or SONOSEG_REPORT_SCREENSHOT).
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-report-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function ellipse(w: number, h: number, cx: number, cy: number, rx: number, ry: number): Mask {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 ? 1 : 0;
  return { width: w, height: h, data };
}

function sample(i: number): { item: EvalImage; map: ProbabilityMap } {
  const w = 120 + 7 * i, h = 90 + 3 * i;
  const cls = ['benign', 'malignant', 'normal'][i % 3]!;
  const truth = cls === 'normal' ? ellipse(w, h, -99, -99, 1, 1) : ellipse(w, h, w / 2, h / 2, 18 + i, 14);
  const image = { width: w, height: h, data: Uint8Array.from({ length: w * h }, (_, k) => (truth.data[k] ? 50 : 150) + ((k * 7919 + i) % 40)) };
  const shift = i * 1.5;
  const pred = ellipse(w, h, w / 2 + shift, h / 2, 18 + i, 14 - (i % 4));
  const map = { width: w, height: h, data: Float32Array.from(pred.data, (v, k) => (v ? 0.7 : 0.1) + 0.2 * Math.sin(k)) };
  return { item: { id: `${cls} (${i})`, className: cls, image, mask: truth }, map };
}

test('the evaluation report renders its plots and case grid in Chromium', async () => {
  const samples = Array.from({ length: 18 }, (_, i) => sample(i));
  let next = 0;
  const predictor = { size: 2, predict: async (ims: unknown[]) => ims.map(() => samples[next++]!.map) };
  const out = await evaluateImages(predictor, { inputSize: 64, resize: 'stretch', normalization: 'unit' }, samples.length,
    async (i) => samples[i]!.item, { threshold: 0.5, thumbnailSide: 200 });
  const log: EpochLog[] = Array.from({ length: 12 }, (_, e) => ({
    epoch: e + 1, loss: 1.2 * Math.exp(-e / 4) + 0.1, valDice: 0.8 * (1 - Math.exp(-e / 3)), valIou: 0.7 * (1 - Math.exp(-e / 3)),
    valDiceAll: null, lr: 1e-3, seconds: 10, best: true, at: '',
    ...(e > 0 ? { average: { valDice: 0.75 * (1 - Math.exp(-e / 4)), valIou: null, valDiceAll: null, best: false } } : {}),
  }));
  const file = await writeReport({
    dir: path.join(tmp, 'report'), summary: evalJson(out.report, 0.5, 'test-model', 'cpu'), report: out.report,
    images: out.images, log, facts: [['dataset', 'synthetic'], ['images', String(samples.length)]], gridSize: 4,
  });

  const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1300, height: 1000 },
  });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    for (const id of ['roc-curve', 'dice-histogram', 'training-loss', 'training-validation']) {
      const box = await page.locator(`svg#${id}`).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} is drawn`);
    }
    assert.ok(await page.locator('#roc-curve path.series').count() === 1);
    assert.equal(await page.locator('#training-validation path.series').count(), 3, 'val Dice, val IoU and the averaged weights\' val Dice');
    assert.ok((await page.locator('#dice-histogram rect.bar').count()) === 20);
    const loaded = await page.locator('#best-cases img, #worst-cases img').evaluateAll((els) => els.map((e) => (e as unknown as { naturalWidth: number }).naturalWidth));
    assert.equal(loaded.length, 8);
    assert.ok(loaded.every((w) => w > 0), 'every overlay PNG loads');
    assert.match(await page.locator('#metrics').innerText(), /malignant/);
    assert.match(await page.locator('#intervals').innerText(), /95 % bootstrap intervals \(2000 resamples of the images\): Dice \d\.\d{4}–\d\.\d{4}/);
    await page.screenshot({ path: process.env.SONOSEG_REPORT_SCREENSHOT ?? '/tmp/sonoseg-report.png', fullPage: true });
  } finally {
    await context.close();
  }
});
