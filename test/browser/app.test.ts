import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startHttpBridge, type HttpBridge } from '../../main/bridge/http';
import { Engine } from '../../main/engine';
import { createServices, rendererDir, type Services } from '../../main/services';
import { fixturesDir, sharedDir } from '../unit/paths';
import { untrainedCatalog } from '../unit/services/model-fixture';
import { launchChromium, screenshotPath } from './browser';

/**
 * The real UI in real Chromium against the real browser-mode server: open a BUSI PNG and a DICOM
 * cine clip, see the overlay, move the threshold (area changes, model not re-run), export files.
 * The model is an untrained 256×256 U-Net: its outline means nothing, but every step is the real one.
 */
const png = path.join(sharedDir, 'datasets', 'busi', 'benign', 'benign (1).png');
const dicom = path.join(fixturesDir, 'dicom', 'real', 'pydicom', 'examples_ybr_color.dcm');
let services: Services;
let bridge: HttpBridge;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let workspace: string;
const problems: string[] = [];
const segmentCalls: string[] = [];

before(async () => {
  assert.ok(fs.existsSync(path.join(rendererDir(), 'index.html')), 'run `npm run build:renderer` first');
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-ws-'));
  // the card carries its own threshold (as `sonoseg calibrate` writes it): the slider must start there
  const models = await untrainedCatalog(workspace, 'untrained-256', {
    inputSize: 256, depth: 4, baseFilters: 8,
    postprocess: { threshold: 0.45, cleanup: { minAreaFraction: 0.001, fillHoles: true, minMeanProbability: 0, largestOnly: false, outlineRatio: 1 } },
  });
  services = await createServices({ engine: await Engine.start({ workers: 1 }), workspace, models });
  bridge = await startHttpBridge({ handlers: services.handlers, events: services.events, exports: services.exports, rendererDir: rendererDir() });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (r.url().endsWith('/api/segment')) segmentCalls.push(r.postData() ?? ''); });
});
after(async () => { await browser?.close(); await bridge?.close(); await services?.dispose(); });

const text = async (id: string) => (await page.getByTestId(id).textContent())?.trim() ?? '';

async function openFile(file: string): Promise<number> {
  const started = Date.now();
  await page.getByTestId('file-input').setInputFiles(file);
  await page.getByTestId('study-name').filter({ hasText: path.basename(file) }).waitFor();
  await page.locator('[data-testid=overlay-canvas][data-has-mask=yes]').waitFor({ timeout: 30_000 });
  return Date.now() - started;
}

test('the one-time URL logs in; the page shows the notice, backend and model', async () => {
  await page.goto(bridge.url);
  assert.equal(new URL(page.url()).search, '', 'the token is dropped from the address bar');
  assert.match(await text('notice'), /not for diagnostic use/i);
  await page.getByTestId('model').filter({ hasText: 'untrained-256' }).waitFor();
  assert.match(await text('backend'), /Backend: (wasm|tensorflow|cpu)/);
  await page.screenshot({ path: screenshotPath('1-empty') });
});

test('a BUSI PNG opens, is segmented at once, and is measured in px', async () => {
  const ms = await openFile(png);
  process.stdout.write(`# PNG 562×471: overlay shown ${ms} ms after choosing the file (256 U-Net, base 8, 1 worker)\n`);
  assert.ok(ms < 15_000);
  assert.match(await text('calibration'), /uncalibrated/);
  // the status bar writes ms under a second and seconds above it (formatMs): a loaded machine may take either
  assert.match(await text('phase'), /Segmented in (\d+ ms|\d+\.\d s) on (wasm|tensorflow|cpu)/);
  assert.equal(await text('threshold-value'), '0.45', 'the slider starts at the model\'s own threshold');
  await page.screenshot({ path: screenshotPath('2-png-segmented') });
});

test('the threshold slider re-thresholds the kept map: the area changes, the model is not re-run', async () => {
  const callsBefore = segmentCalls.length;
  const areas: number[] = [];
  for (const t of ['0.30', '0.40', '0.45', '0.50', '0.52', '0.55', '0.60', '0.70', '0.90']) {
    await page.getByTestId('threshold').fill(t);
    await page.getByTestId('threshold-value').filter({ hasText: t }).waitFor();
    const count = await page.getByTestId('lesion-count').count();
    const area = count ? await text('area-1') : '0 px²';
    assert.match(area, /^\d+ px²$/, 'uncalibrated areas are labelled px²');
    areas.push(Number(area.split(' ')[0]));
  }
  process.stdout.write(`# largest-region area by threshold: ${areas.join(', ')} px²\n`);
  assert.ok(new Set(areas).size > 1, `the area should change with the threshold: ${areas.join(', ')}`);
  assert.equal(segmentCalls.length, callsBefore, 'moving the slider must not call segment');
  await page.getByTestId('threshold').fill('0.5');
  await page.screenshot({ path: screenshotPath('3-png-threshold') });
});

test('export writes the chosen files into the workspace and offers them for download', async () => {
  await page.getByTestId('format-contours').check();
  await page.getByTestId('export').click();
  const result = page.getByTestId('export-result');
  await result.waitFor();
  const names = (await result.locator('a').allTextContents()).sort();
  assert.deepEqual(names, ['deidentified_contours.json', 'deidentified_mask.png', 'deidentified_measurements.csv',
    'deidentified_measurements.json', 'deidentified_overlay.png']);
  const dir = fs.readdirSync(path.join(workspace, 'exports'));
  assert.equal(dir.length, 1);
  assert.deepEqual(fs.readdirSync(path.join(workspace, 'exports', dir[0]!)).sort(), names);
  const report = JSON.parse(fs.readFileSync(path.join(workspace, 'exports', dir[0]!, 'deidentified_measurements.json'), 'utf8')) as { threshold: number; lesions: unknown[] };
  assert.equal(report.threshold, 0.5);
  assert.equal(report.lesions.length, await page.locator('[data-testid=measurements] tbody tr').count() > 0 ? Number((await text('lesion-count')).split(' ')[0]) : 0);
  const [download] = await Promise.all([page.waitForEvent('download'), result.getByText('deidentified_mask.png').click()]);
  const saved = await download.path();
  assert.deepEqual(fs.readFileSync(saved), fs.readFileSync(path.join(workspace, 'exports', dir[0]!, 'deidentified_mask.png')));
  await page.screenshot({ path: screenshotPath('4-png-exported') });
});

test('a second study replaces the first at once: its name never shows over the old image and outline', async () => {
  // hold the new study's first frame, so the moment between "opened" and "frame shown" can be looked at
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/studies.frame', async (route) => { await held; await route.continue(); });
  try {
    await page.getByTestId('file-input').setInputFiles(dicom);
    await page.getByTestId('study-name').filter({ hasText: path.basename(dicom) }).waitFor();
    assert.equal(await page.getByTestId('overlay-canvas').count(), 0, 'the PNG\'s outline is still on screen');
    assert.equal(await page.getByTestId('image-canvas').count(), 0, 'the PNG is still on screen');
    assert.equal(await page.getByTestId('lesion-count').count(), 0, 'the PNG\'s measurements are still listed');
  } finally {
    release();
  }
  await page.locator('[data-testid=overlay-canvas][data-has-mask=yes]').waitFor({ timeout: 30_000 });
  // only now: unrouting while the held request is still in its handler would answer it twice
  await page.unroute('**/api/studies.frame');
});

test('a calibrated DICOM cine clip opens with mm measurements and a frame slider', async () => {
  assert.match(await text('calibration'), /0\.510 × 0\.510 mm/);
  await page.getByTestId('threshold').fill('0.5');
  if (await page.getByTestId('lesion-count').count()) assert.match(await text('area-1'), /^\d+\.\d mm²$/);
  assert.equal(await text('frame-value'), '1 / 30');
  const calls = segmentCalls.length;
  await page.getByTestId('frame').fill('9');
  await page.getByTestId('frame-value').filter({ hasText: '10 / 30' }).waitFor();
  await page.getByTestId('phase').filter({ hasText: /Segmented in/ }).waitFor({ timeout: 30_000 });
  assert.equal(segmentCalls.length, calls + 1);
  assert.match(segmentCalls.at(-1)!, /"frame":9/);
  await page.screenshot({ path: screenshotPath('5-dicom-cine') });
});

test('no console errors, CSP violations or page errors happened', () => {
  assert.deepEqual(problems, []);
});
