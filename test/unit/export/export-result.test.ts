import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import type { Frame } from '../../../main/common/image';
import type { Study } from '../../../main/common/study';
import { exportResult, readSeg, type ExportRequest } from '../../../main/export';
import { readPart10 } from '../../../main/export/dicom/dcmjs';
import { fixturesDir, sharedDir } from '../paths';
import { countOnes, discProbability, grayFrame, rasterStudy, thresholdAt } from './synthetic';

const DICOM = path.join(fixturesDir, 'export', 'examples_rgb_color.dcm');
const MODEL = { id: 'unet-busi-v3', version: '3', name: 'SonoSeg U-Net' };
let out: string;

before(() => { out = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-export-')); });
after(() => fs.rmSync(out, { recursive: true, force: true }));

/** dcmdump (Debian dcmtk) must parse the file with no error or warning; missing dcmdump fails the test. */
function assertDcmdumpClean(file: string): string {
  const r = spawnSync('dcmdump', ['+E', file], { encoding: 'utf8' });
  assert.ifError(r.error); // ENOENT: install dcmtk (apt-get install -y dcmtk)
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', r.stderr);
  return r.stdout;
}

/** Decodes a PNG; `channels` and `bitDepth` come from its IHDR chunk (what the file holds, not what sharp outputs). */
async function decodePng(file: string): Promise<{ data: Buffer; width: number; height: number; channels: number; bitDepth: number }> {
  const bytes = fs.readFileSync(file);
  const colourType = bytes[25]!; // IHDR: width(4) height(4) depth(1) colour type(1) after the 8-byte signature + 8-byte chunk head
  const channels = colourType === 0 ? 1 : colourType === 2 ? 3 : -colourType;
  let img = sharp(bytes);
  if (channels === 1) img = img.toColourspace('b-w'); // sharp returns sRGB by default
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, channels);
  return { data, width: info.width, height: info.height, channels, bitDepth: bytes[24]! };
}

/** The fixture's single RGB frame, read with dcmjs (uncompressed, PlanarConfiguration 0). */
function dicomStudy(): Study {
  const { dataset } = readPart10(fs.readFileSync(DICOM));
  const width = Number(dataset.Columns), height = Number(dataset.Rows);
  const pixels = new Uint8Array((dataset.PixelData as ArrayBuffer[])[0]!);
  const frame: Frame = { width, height, channels: 3, data: pixels.subarray(0, width * height * 3) };
  return { kind: 'dicom', name: 'examples_rgb_color.dcm', width, height, frames: [frame], metadata: { modality: 'US' }, warnings: [] };
}

function request(over: Partial<ExportRequest> & Pick<ExportRequest, 'study' | 'probability'>): ExportRequest {
  return {
    frameIndex: 0, threshold: 0.5, formats: ['mask', 'probability', 'overlay', 'contours', 'measurements', 'seg'],
    deidentify: false, outDir: out, baseName: 'case', model: MODEL, ...over,
  };
}

test('raster study: every output is written under its name and the mask survives every format', async () => {
  const frame = grayFrame(97, 61); // odd sizes: rows do not end on byte boundaries in the SEG
  const probability = discProbability(97, 61, 40, 30, 15);
  const expected = thresholdAt(probability, 0.5);
  const res = await exportResult(request({ study: rasterStudy(frame), probability, baseName: 'raster' }));
  assert.deepEqual(res.files.map((f) => path.basename(f)), [
    'raster_mask.png', 'raster_prob.png', 'raster_overlay.png', 'raster_contours.json',
    'raster_measurements.json', 'raster_measurements.csv', 'raster_seg.dcm']);
  const mask = await decodePng(res.files[0]!);
  assert.deepEqual([mask.width, mask.height, mask.channels, mask.bitDepth], [97, 61, 1, 8]);
  assert.deepEqual([...new Set(mask.data)].sort((a, b) => a - b), [0, 255]);
  assert.deepEqual(Uint8Array.from(mask.data, (v) => (v ? 1 : 0)), expected.data);
  const prob = await decodePng(res.files[1]!);
  assert.deepEqual([prob.channels, prob.bitDepth], [1, 8]);
  assert.equal(prob.data[30 * 97 + 40], Math.round(probability.data[30 * 97 + 40]! * 255));
  const overlay = await decodePng(res.files[2]!);
  assert.deepEqual([overlay.width, overlay.height, overlay.channels], [97, 61, 3]);
  assert.deepEqual([...overlay.data.subarray(0, 3)], [frame.data[0], frame.data[0], frame.data[0]]); // background untouched
  assertDcmdumpClean(res.files[6]!);
  const seg = readSeg(fs.readFileSync(res.files[6]!));
  assert.deepEqual(seg.masks[0]!.data, expected.data);
  const segItem = (seg.dataset.SegmentSequence as Record<string, unknown>[])[0]!;
  assert.equal(segItem.SegmentAlgorithmType, 'AUTOMATIC');
  assert.equal(segItem.SegmentAlgorithmName, 'SonoSeg U-Net 3');
});

test('raster study: reports are in pixels and say so', async () => {
  const probability = discProbability(80, 60, 30, 30, 10);
  const res = await exportResult(request({ study: rasterStudy(grayFrame(80, 60)), probability, baseName: 'units', formats: ['measurements', 'contours'] }));
  const byName = (s: string): string => fs.readFileSync(res.files.find((f) => f.endsWith(s))!, 'utf8');
  const json = JSON.parse(byName('_measurements.json'));
  assert.equal(json.calibration.source, 'none');
  assert.deepEqual(json.units.length, 'px');
  assert.match(json.calibration.note, /UNCALIBRATED/);
  assert.equal(json.lesions[0].area_px2, countOnes(thresholdAt(probability, 0.5).data));
  assert.equal(json.lesions[0].area_mm2, null);
  const [head, row] = byName('_measurements.csv').split('\r\n');
  const cols = head!.split(',');
  assert.ok(cols.includes('area_px2') && cols.includes('area_mm2') && cols.includes('longest_diameter_mm'));
  assert.equal(row!.split(',')[cols.indexOf('length_unit')], 'px');
  const contours = JSON.parse(byName('_contours.json'));
  assert.equal(contours.lesions.length, 1);
  assert.ok(contours.lesions[0].points.length > 8);
});

test('an edited mask overrides the threshold and makes the SEG SEMIAUTOMATIC', async () => {
  const probability = discProbability(40, 30, 20, 15, 5);
  const edited = { width: 40, height: 30, data: new Uint8Array(1200) };
  for (let x = 2; x < 12; x++) edited.data[3 * 40 + x] = 1;
  const res = await exportResult(request({ study: rasterStudy(grayFrame(40, 30)), probability, editedMask: edited, baseName: 'edit', formats: ['seg', 'mask'] }));
  assert.equal(res.maskEdited, true);
  const seg = readSeg(fs.readFileSync(res.files.find((f) => f.endsWith('_seg.dcm'))!));
  assert.deepEqual(seg.masks[0]!.data, edited.data);
  assert.equal((seg.dataset.SegmentSequence as Record<string, unknown>[])[0]!.SegmentAlgorithmType, 'SEMIAUTOMATIC');
});

test('DICOM source: the SEG passes dcmdump, reads back and references the source instance', async () => {
  const study = dicomStudy();
  const src = readPart10(fs.readFileSync(DICOM), { headerOnly: true }).dataset;
  const probability = discProbability(study.width, study.height, 160, 110, 35);
  const res = await exportResult(request({ study, probability, source: { path: DICOM }, baseName: 'us1', formats: ['seg', 'overlay'] }));
  const segFile = res.files.find((f) => f.endsWith('_seg.dcm'))!;
  const dump = assertDcmdumpClean(segFile);
  assert.match(dump, /=SegmentationStorage/);
  const seg = readSeg(fs.readFileSync(segFile));
  assert.deepEqual(seg.masks[0], thresholdAt(probability, 0.5));
  const ds = seg.dataset;
  assert.equal(ds.StudyInstanceUID, src.StudyInstanceUID);
  const series = (ds.ReferencedSeriesSequence as Record<string, unknown>[])[0]!;
  assert.equal(series.SeriesInstanceUID, src.SeriesInstanceUID);
  const inst = (series.ReferencedInstanceSequence as Record<string, unknown>[])[0]!;
  assert.equal(inst.ReferencedSOPInstanceUID, src.SOPInstanceUID);
  assert.equal(inst.ReferencedSOPClassUID, src.SOPClassUID);
  const frameGroup = (ds.PerFrameFunctionalGroupsSequence as Record<string, unknown>[])[0]!;
  const deriv = (frameGroup.DerivationImageSequence as Record<string, unknown>[])[0]!;
  assert.equal((deriv.SourceImageSequence as Record<string, unknown>[])[0]!.ReferencedSOPInstanceUID, src.SOPInstanceUID);
  assert.equal(ds.PatientID, '13US1');
  const overlay = await decodePng(res.files.find((f) => f.endsWith('_overlay.png'))!);
  assert.deepEqual([overlay.width, overlay.height], [320, 240]);
});

test('DICOM source de-identified: no patient name, ID or source UID anywhere in the output', async () => {
  const study = dicomStudy();
  const src = readPart10(fs.readFileSync(DICOM), { headerOnly: true }).dataset;
  const probability = discProbability(study.width, study.height, 100, 100, 20);
  const res = await exportResult(request({
    study, probability, source: { bytes: fs.readFileSync(DICOM) }, deidentify: true, deidentifySecret: 'site-key', baseName: 'anon',
  }));
  const forbidden = ['CompressedSamples', '13US1', 'BAPTIST', String(src.StudyInstanceUID), String(src.SOPInstanceUID), 'examples_rgb_color'];
  for (const f of res.files) {
    const text = fs.readFileSync(f).toString('latin1');
    for (const s of forbidden) assert.ok(!text.includes(s), `${path.basename(f)} contains ${s}`);
  }
  const segFile = res.files.find((f) => f.endsWith('_seg.dcm'))!;
  const dump = assertDcmdumpClean(segFile);
  assert.match(dump, /\(0012,0062\) CS \[YES\]/);
  const ds = readSeg(fs.readFileSync(segFile)).dataset;
  assert.equal(ds.DeidentificationMethod, 'SonoSeg: PS3.15 E.1 basic profile subset');
  // same secret, same study: a second export files into the same de-identified study
  const again = await exportResult(request({
    study, probability, source: { path: DICOM }, deidentify: true, deidentifySecret: 'site-key', baseName: 'anon2', formats: ['seg'],
  }));
  assert.equal(readSeg(fs.readFileSync(again.files[0]!)).dataset.StudyInstanceUID, ds.StudyInstanceUID);
});

test('multi-frame DICOM source (JPEG, 30 frames): the SEG points at the exported frame', async () => {
  // only the header is read for the SEG, so the study's frames can be synthetic at the right size
  const file = path.join(sharedDir, 'fixtures', 'dicom', 'pydicom', 'examples_ybr_color.dcm');
  const src = readPart10(fs.readFileSync(file), { headerOnly: true }).dataset;
  const width = Number(src.Columns), height = Number(src.Rows);
  const frames = Array.from({ length: Number(src.NumberOfFrames) }, () => grayFrame(width, height));
  const study: Study = { kind: 'dicom', name: 'cine.dcm', width, height, frames, metadata: {}, warnings: [] };
  const probability = discProbability(width, height, 120, 90, 25);
  const res = await exportResult(request({ study, probability, frameIndex: 4, source: { path: file }, baseName: 'cine', formats: ['seg'] }));
  assertDcmdumpClean(res.files[0]!);
  const ds = readSeg(fs.readFileSync(res.files[0]!)).dataset;
  const group = (ds.PerFrameFunctionalGroupsSequence as Record<string, unknown>[])[0]!;
  const ref = ((group.DerivationImageSequence as Record<string, unknown>[])[0]!.SourceImageSequence as Record<string, unknown>[])[0]!;
  assert.equal(ref.ReferencedSOPInstanceUID, src.SOPInstanceUID);
  assert.equal(ref.ReferencedFrameNumber, 5);
});

test('bad requests fail with INVALID_ARGUMENT before writing anything', async () => {
  const study = dicomStudy();
  const probability = discProbability(study.width, study.height, 100, 100, 20);
  await assert.rejects(exportResult(request({ study, probability, formats: ['seg'], baseName: 'nosrc' })), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(exportResult(request({ study, probability: discProbability(10, 10, 5, 5, 2) })), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(exportResult(request({ study, probability, baseName: '../x' })), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(exportResult(request({ study, probability, frameIndex: 1 })), { code: 'INVALID_ARGUMENT' });
  assert.ok(!fs.readdirSync(out).some((f) => f.startsWith('nosrc')));
});
