import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { assertSameFrame, decodeFile, errorCode, generated, maxAbsDiff, meanAbsDiff, readPnm } from './helpers';

/**
 * Every transfer syntax against ground truth. Lossless files (made by dcmtk from one uncompressed
 * original, see test/fixtures/dicom/generate.sh) must decode to exactly the original's frames; the
 * uncompressed originals must equal dcmtk's own rendering (dcmj2pnm); lossy files are compared with a tolerance.
 */
const losslessFromOriginal: Array<[string, string, string]> = [
  ['mono8_evrle.dcm', 'mono8_ivrle.dcm', '1.2.840.10008.1.2'],
  ['mono8_evrle.dcm', 'mono8_deflated.dcm', '1.2.840.10008.1.2.1.99'],
  ['mono8_evrle.dcm', 'mono8_nometa_ivrle.dcm', '1.2.840.10008.1.2'],
  ['mono8_evrle.dcm', 'mono8_nometa_evrle.dcm', '1.2.840.10008.1.2.1'],
  ['mono16_evrle.dcm', 'mono16_evrbe.dcm', '1.2.840.10008.1.2.2'],
  ['rgb8_evrle.dcm', 'rgb8_evrbe.dcm', '1.2.840.10008.1.2.2'],
  ['mono8_evrle.dcm', 'mono8_rle.dcm', '1.2.840.10008.1.2.5'],
  ['mono16_evrle.dcm', 'mono16_rle.dcm', '1.2.840.10008.1.2.5'],
  ['rgb8_evrle.dcm', 'rgb8_rle.dcm', '1.2.840.10008.1.2.5'],
  ['ybrfull_evrle.dcm', 'ybrfull_rle.dcm', '1.2.840.10008.1.2.5'],
  ['mono8_evrle.dcm', 'mono8_jpeg57.dcm', '1.2.840.10008.1.2.4.57'],
  ['mono16_evrle.dcm', 'mono16_jpeg70.dcm', '1.2.840.10008.1.2.4.70'],
  ['rgb8_evrle.dcm', 'rgb8_jpeg70.dcm', '1.2.840.10008.1.2.4.70'],
  ['mono8_evrle.dcm', 'mono8_jls80.dcm', '1.2.840.10008.1.2.4.80'],
  ['mono16_evrle.dcm', 'mono16_jls80.dcm', '1.2.840.10008.1.2.4.80'],
  ['rgb8_evrle.dcm', 'rgb8_jls80.dcm', '1.2.840.10008.1.2.4.80'],
];

for (const [original, encoded, uid] of losslessFromOriginal) {
  test(`${encoded} (${uid}) decodes exactly to ${original}`, async () => {
    const [a, b] = await Promise.all([decodeFile(generated(original)), decodeFile(generated(encoded))]);
    assert.equal(b.metadata.transferSyntax, uid);
    assert.equal(b.frames.length, a.frames.length);
    a.frames.forEach((f, i) => assertSameFrame(b.frames[i]!, f, `${encoded} frame ${i}`));
  });
}

const multiFrame = ['mono8x3_rle.dcm', 'mono8x3_jpeg70_frag.dcm', 'mono8x3_jpeg70_frag_bot.dcm', 'mono8x3_jls80_frag.dcm'];
for (const encoded of multiFrame) {
  test(`multi-frame ${encoded} (fragments per frame, offset table or not) decodes exactly`, async () => {
    const [a, b] = await Promise.all([decodeFile(generated('mono8x3_evrle.dcm')), decodeFile(generated(encoded))]);
    assert.equal(b.frames.length, 3);
    a.frames.forEach((f, i) => assertSameFrame(b.frames[i]!, f, `${encoded} frame ${i}`));
    // The frames differ from each other (the oval moves), so a frame mix-up cannot pass.
    assert.ok(maxAbsDiff(a.frames[0]!, a.frames[1]!) > 0);
  });
}

test('uncompressed originals equal dcmtk dcmj2pnm renderings', async () => {
  const exact = ['mono8_evrle', 'rgb8_evrle'];
  for (const f of exact) assertSameFrame((await decodeFile(generated(`${f}.dcm`))).frames[0]!, readPnm(generated(`${f}.ref.pnm`)), f);
  // YBR_FULL → RGB and VOI windowing are float equations; dcmtk rounds slightly differently.
  // dcmtk inverts MONOCHROME1 through a float output LUT, giving 256 − v for some values; ours is 255 − v exactly.
  const close: Array<[string, number]> = [['mono1_evrle', 1], ['ybrfull_evrle', 2], ['mono16_evrle', 1], ['mono16nowin_evrle', 1]];
  for (const [f, tol] of close) {
    const d = maxAbsDiff((await decodeFile(generated(`${f}.dcm`))).frames[0]!, readPnm(generated(`${f}.ref.pnm`)));
    assert.ok(d <= tol, `${f}: max diff ${d} > ${tol}`);
  }
});

test('MONOCHROME1 is the inverse of the same pixels as MONOCHROME2', async () => {
  const m1 = (await decodeFile(generated('mono1_evrle.dcm'))).frames[0]!;
  const m2 = (await decodeFile(generated('mono8_evrle.dcm'))).frames[0]!;
  assert.ok(m1.data.every((v, i) => v === 255 - m2.data[i]!));
});

const lossy: Array<[string, string, number]> = [
  ['mono8_jpeg50.dcm', 'mono8_jpeg50.ref.pnm', 1],
  ['rgb8_jpeg50.dcm', 'rgb8_jpeg50.ref.pnm', 2],
  ['mono8_jls81.dcm', 'mono8_jls81.ref.pnm', 0.5],
];
for (const [file, ref, tol] of lossy) {
  test(`lossy ${file} matches dcmtk's decode (mean abs diff < ${tol}) and warns LOSSY_SOURCE`, async () => {
    const s = await decodeFile(generated(file));
    const d = meanAbsDiff(s.frames[0]!, readPnm(generated(ref)));
    assert.ok(d < tol, `mean abs diff ${d}`);
    assert.ok(s.warnings.some((w) => w.code === 'LOSSY_SOURCE'));
  });
}

test('JPEG extended 8-bit and multi-frame baseline with and without offset table decode close to the original', async () => {
  const orig = await decodeFile(generated('mono8x3_evrle.dcm'));
  for (const f of ['mono8x3_jpeg50_bot.dcm', 'mono8x3_jpeg50_nobot.dcm']) {
    const s = await decodeFile(generated(f));
    s.frames.forEach((fr, i) => assert.ok(meanAbsDiff(fr, orig.frames[i]!) < 3, `${f} frame ${i}`));
  }
  const ext = await decodeFile(generated('mono8_jpeg51.dcm'));
  assert.equal(ext.metadata.transferSyntax, '1.2.840.10008.1.2.4.51');
  assert.ok(meanAbsDiff(ext.frames[0]!, (await decodeFile(generated('mono8_evrle.dcm'))).frames[0]!) < 3);
});

test('12-bit JPEG extended is refused as UNSUPPORTED_FORMAT (the libjpeg-turbo build is 8-bit)', async () => {
  assert.equal(await errorCode(decodeFile(generated('mono16_jpeg51_12bit.dcm'))), 'UNSUPPORTED_FORMAT');
});

test('metadata carries display facts but never the patient identifiers in the file', async () => {
  const s = await decodeFile(generated('mono8x3_evrle.dcm'));
  assert.equal(s.metadata.modality, 'US');
  assert.equal(s.metadata.manufacturer, 'SonoSeg test generator');
  assert.equal(s.metadata.model, 'dcmtk dump2dcm');
  assert.equal(s.metadata.studyDate, '20240102');
  assert.equal(s.metadata.frameTimeMs, 33.3);
  assert.equal(s.metadata.bitsStored, 8);
  assert.equal(s.metadata.photometric, 'MONOCHROME2');
  assert.equal(s.metadata.sopClassUid, '1.2.840.10008.5.1.4.1.1.6.1');
  const text = JSON.stringify(s.metadata) + JSON.stringify(s.warnings);
  for (const secret of ['Doe', 'PID-SECRET-42', '19700101']) assert.ok(!text.includes(secret), secret);
});

test('a non-US modality still decodes, with a NOT_ULTRASOUND warning; 16-bit uses the VOI window', async () => {
  const s = await decodeFile(generated('mono16_evrle.dcm'));
  assert.equal(s.frames.length, 1);
  assert.ok(s.warnings.some((w) => w.code === 'NOT_ULTRASOUND'));
  assert.match(s.metadata.format ?? '', /VOI window/);
  assert.equal(s.metadata.bitsStored, 12);
});
