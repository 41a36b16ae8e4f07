import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureLesions, predictedMask, type ProbabilityMap } from '../../../main/common';
import { Engine } from '../../../main/engine';
import { decode } from '../../../main/imaging';
import { call, createServices, type Services } from '../../../main/services';
import { fixturesDir } from '../paths';
import { untrainedCatalog } from './model-fixture';

/** The services end to end, through the API handlers both front doors use, with a real (untrained) model. */
const cine = path.join(fixturesDir, 'dicom', 'real', 'pydicom', 'examples_ybr_color.dcm');
let services: Services;
let workspace: string;
/** the model's own threshold and clean-up, as `sonoseg calibrate` writes them into its card */
const POLICY = { threshold: 0.45, cleanup: { minAreaFraction: 0.002, fillHoles: true, minMeanProbability: 0.5, largestOnly: false, outlineRatio: 0.8 } };

before(async () => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-ws-'));
  const models = await untrainedCatalog(workspace, 'untrained-test', { postprocess: POLICY });
  services = await createServices({ engine: await Engine.start({ workers: 1 }), workspace, models });
});
after(async () => services?.dispose());

const open = () => call(services.handlers, 'studies.open', { name: 'examples_ybr_color.dcm', bytes: new Uint8Array(fs.readFileSync(cine)) });

test('open → frame → segment: a probability map at the frame size from the active model', async () => {
  const study = await open();
  assert.equal(study.frames, 30);
  const pixels = await call(services.handlers, 'studies.frame', { studyId: study.id, frame: 3 });
  assert.equal(pixels.width, study.width);
  const seg = await call(services.handlers, 'segment', { studyId: study.id, frame: 3 });
  assert.equal(seg.probability.length, study.width * study.height);
  assert.equal(seg.modelId, 'untrained-test');
  assert.equal(seg.defaultThreshold, POLICY.threshold, 'the slider starts at the model\'s threshold');
  assert.deepEqual(seg.cleanup, POLICY.cleanup);
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(seg.backend));
  const info = await call(services.handlers, 'engine.info', {});
  assert.equal(info.model?.id, 'untrained-test');
  assert.deepEqual(await call(services.handlers, 'models.list', {}), [{ id: 'untrained-test', source: 'workspace', inputSize: 64, loaded: true }]);
});

test('export writes the mask the viewer shows (same quantised map, same threshold) into the workspace', async () => {
  const study = await open();
  const seg = await call(services.handlers, 'segment', { studyId: study.id, frame: 0 });
  const t = medianOf(seg.probability) / 255; // a threshold that splits this map, whatever the weights
  const res = await call(services.handlers, 'export', {
    studyId: study.id, frame: 0, formats: ['mask', 'measurements', 'seg'], threshold: t, deidentify: true,
  });
  assert.ok(res.dir.startsWith(path.join(workspace, 'exports')));
  assert.deepEqual(res.files.map((f) => f.name).sort(),
    ['deidentified_frame1_mask.png', 'deidentified_frame1_measurements.csv', 'deidentified_frame1_measurements.json', 'deidentified_frame1_seg.dcm']);
  const viewer: ProbabilityMap = { width: seg.width, height: seg.height, data: Float32Array.from(seg.probability, (v) => v / 255) };
  const shown = predictedMask(viewer, t, seg.cleanup); // what session.svelte.ts shows: threshold + the model's clean-up
  const written = await decode(path.join(res.dir, 'deidentified_frame1_mask.png'));
  const mask = written.frames[0]!.data;
  assert.equal(mask.length, shown.data.length);
  for (let i = 0; i < mask.length; i++) if ((mask[i]! > 0 ? 1 : 0) !== shown.data[i]) assert.fail(`pixel ${i} differs`);
  assert.equal(res.lesions, measureLesions(shown, viewer, study.calibration ?? null).length);
  assert.equal(services.exports.file(res.exportId, 'deidentified_frame1_mask.png'), path.join(res.dir, 'deidentified_frame1_mask.png'));
  assert.equal(services.exports.file(res.exportId, '../../secret'), null);
  assert.equal(services.exports.file('..', 'x'), null);
});

test('an edited mask replaces the thresholded one and is flagged as edited', async () => {
  const study = await open();
  const data = new Uint8Array(study.width * study.height);
  for (let y = 100; y < 140; y++) for (let x = 200; x < 260; x++) data[y * study.width + x] = 1;
  const res = await call(services.handlers, 'export', {
    studyId: study.id, frame: 1, formats: ['measurements'], threshold: 0.5, deidentify: false,
    mask: { width: study.width, height: study.height, data },
  });
  assert.equal(res.maskEdited, true);
  assert.equal(res.lesions, 1);
  const json = JSON.parse(fs.readFileSync(path.join(res.dir, 'examples_ybr_color_frame2_measurements.json'), 'utf8')) as { lesions: { area_px2: number }[] };
  assert.equal(json.lesions[0]!.area_px2, 40 * 60);
});

test('malformed requests are INVALID_ARGUMENT, never a crash deeper in', async () => {
  const bad: [string, unknown][] = [
    ['studies.frame', { studyId: 'x', frame: -1 }],
    ['studies.frame', { studyId: 5, frame: 0 }],
    ['segment', null],
    ['export', { studyId: 'x', frame: 0, formats: ['exe'], threshold: 0.5, deidentify: true }],
    ['export', { studyId: 'x', frame: 0, formats: ['mask'], threshold: 2, deidentify: true }],
    ['export', { studyId: 'x', frame: 0, formats: ['mask'], threshold: 0.5, deidentify: true, mask: { width: 2, height: 2, data: new Uint8Array(3) } }],
    ['studies.open', { name: 'a.png', bytes: [1, 2, 3] }],
  ];
  for (const [channel, request] of bad) {
    await assert.rejects((services.handlers as Record<string, (r: unknown) => Promise<unknown>>)[channel]!(request),
      (e: unknown) => (e as { code?: string }).code === 'INVALID_ARGUMENT', `${channel} ${JSON.stringify(request)}`);
  }
});

function medianOf(values: Uint8Array): number {
  const sorted = Uint8Array.from(values).sort();
  return Math.max(1, sorted[Math.floor(sorted.length / 2)]!);
}
