import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { execFileSync } from 'node:child_process';
import { assertSameFrame, decodeFile, errorCode, maxAbsDiff, meanAbsDiff, readPnm, realDir, shared } from './helpers';

/**
 * Real ultrasound files from public DICOM toolkit test sets (see ../shared/fixtures/dicom/INVENTORY.md).
 * Small ones are committed under test/fixtures/dicom/real; the rest are read from ../shared, and a
 * missing file fails the test. Compressed files are checked against an uncompressed sibling of the
 * same image (the data sets were made from each other), so a lossless decode must match exactly.
 */
const real = (rel: string) => path.join(realDir, rel);

const expected: Array<[string, number, number, number, number]> = [
  // file, columns, rows, frames, channels
  ['cornerstone3D/US-YBR_FULL_422-EVRLE.dcm', 800, 555, 1, 3],
  ['cornerstone3D/no-pixel-spacing.dcm', 800, 600, 1, 3],
  ['dcm4che/US-PAL-8-10x-echo.dcm', 600, 430, 10, 3],
  ['dcm4che/US-RGB-8-epicard.dcm', 640, 480, 1, 3],
  ['dcm4che/jpeg-ls-Palette.dcm', 600, 430, 10, 3],
  ['dicom-test-files/US1_RLE.dcm', 640, 480, 1, 3],
  ['pydicom-data/OBXXXX1A_2frame.dcm', 800, 600, 2, 3],
  ['pydicom-data/OBXXXX1A_rle_2frame.dcm', 800, 600, 2, 3],
  ['pydicom-data/gdcm-US-ALOKA-16.dcm', 640, 480, 1, 3],
  ['pydicom/examples_ybr_color.dcm', 320, 240, 30, 3],
  ['pylibjpeg-data/JPEGLosslessP14SV1_3s_2f_u_08_08.dcm', 1024, 768, 2, 3],
];
for (const [file, w, h, frames, channels] of expected) {
  test(`real file ${file}: ${w}×${h}, ${frames} frame(s)`, async () => {
    const s = await decodeFile(shared(file));
    assert.deepEqual([s.width, s.height, s.frames.length], [w, h, frames]);
    for (const f of s.frames) assert.deepEqual([f.width, f.height, f.channels, f.data.length], [w, h, channels, w * h * channels]);
    assert.equal(s.metadata.modality, 'US');
    assert.ok(!s.warnings.some((x) => x.code === 'NOT_ULTRASOUND'));
  });
}

const sameImage: Array<[string, string]> = [
  ['pydicom-data/US1_UNCR.dcm', real('pydicom-data/US1_J2KR.dcm')], // JPEG 2000 lossless, YBR_RCT
  ['pydicom-data/US1_UNCR.dcm', 'dicom-test-files/US1_RLE.dcm'],
  ['pydicom-data/OBXXXX1A.dcm', real('pydicom-data/OBXXXX1A_rle.dcm')],
  ['pydicom-data/OBXXXX1A.dcm', 'pydicom-data/OBXXXX1A_expb.dcm'],
  ['pydicom-data/OBXXXX1A_2frame.dcm', 'pydicom-data/OBXXXX1A_rle_2frame.dcm'],
  ['pydicom-data/OBXXXX1A_2frame.dcm', 'pydicom-data/OBXXXX1A_expb_2frame.dcm'],
  ['debian-octave-dicom/US-PAL-8-10x-echo.dcm', 'dcm4che/jpeg-ls-Palette.dcm'],
  ['debian-octave-dicom/US-PAL-8-10x-echo.dcm', 'dcm4che/US-PAL-8-10x-echo.dcm'],
  ['pydicom-data/gdcm-US-ALOKA-16.dcm', 'pydicom-data/gdcm-US-ALOKA-16_big.dcm'],
  ['dcm4che/US-RGB-8-esopecho.dcm', real('pydicom-data/color-pl.dcm')], // Planar Configuration 1
  ['dcm4che/US-RGB-8-esopecho.dcm', real('pydicom-data/color-px.dcm')],
  ['cornerstone3D/US-YBR_FULL_422-EVRLE.dcm', 'dcm4che/YBR_422.dcm'],
];
for (const [refFile, other] of sameImage) {
  test(`${path.basename(other)} decodes exactly like ${path.basename(refFile)}`, async () => {
    const a = await decodeFile(shared(refFile));
    const b = await decodeFile(path.isAbsolute(other) ? other : shared(other));
    assert.equal(b.frames.length, a.frames.length);
    a.frames.forEach((f, i) => assertSameFrame(b.frames[i]!, f, `frame ${i}`));
  });
}

test('JPEG 2000 lossy (YBR_ICT) is close to its uncompressed reference US1_UNCI', async () => {
  const a = await decodeFile(shared('pydicom-data/US1_UNCI.dcm'));
  const b = await decodeFile(real('pydicom-data/US1_J2KI.dcm'));
  const d = meanAbsDiff(b.frames[0]!, a.frames[0]!);
  assert.ok(d < 2, `mean abs diff ${d}`);
  assert.ok(b.warnings.some((w) => w.code === 'LOSSY_SOURCE'));
});

test('native YBR_FULL_422 (2 bytes per pixel) renders as plausible RGB: grey scan area stays grey', async () => {
  const s = await decodeFile(shared('dcm4che/YBR_422.dcm'));
  const d = s.frames[0]!.data;
  // Ultrasound B-mode is grey: most pixels must have R≈G≈B after conversion (a wrong 4:2:2 unpacking gives colour noise).
  let grey = 0;
  for (let i = 0; i < d.length; i += 3) if (Math.abs(d[i]! - d[i + 1]!) <= 3 && Math.abs(d[i + 1]! - d[i + 2]!) <= 3) grey++;
  assert.ok(grey / (d.length / 3) > 0.9, `grey fraction ${grey / (d.length / 3)}`);
});

test('JPEG lossless SV1 3-sample file equals dcmtk dcmdjpeg decompression exactly (needs dcmtk, as CI has)', async () => {
  const src = shared('pylibjpeg-data/JPEGLosslessP14SV1_3s_2f_u_08_08.dcm');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-'));
  try {
    const out = path.join(dir, 'native.dcm');
    execFileSync('dcmdjpeg', [src, out]);
    const [a, b] = await Promise.all([decodeFile(out), decodeFile(src)]);
    assert.equal(a.metadata.transferSyntax, '1.2.840.10008.1.2.1');
    a.frames.forEach((f, i) => assertSameFrame(b.frames[i]!, f, `frame ${i}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ExplVR_BigEnd (RGB, big endian) decodes with plausible colours', async () => {
  const s = await decodeFile(real('pydicom/ExplVR_BigEnd.dcm'));
  assert.deepEqual([s.width, s.height, s.frames[0]!.channels], [80, 60, 3]);
});

test('a header-only file gives NO_PIXEL_DATA', async () => {
  assert.equal(await errorCode(decodeFile(real('dcmjs/no-meta-length-test.dcm'))), 'NO_PIXEL_DATA');
});

test('the malformed GH364 file does not crash: it decodes or fails with a typed code', async () => {
  const s = await decodeFile(real('fo-dicom/GH364.dcm'));
  assert.deepEqual([s.width, s.height, s.frames.length], [1024, 768, 1]);
  assert.ok(s.warnings.some((w) => w.code === 'MALFORMED_TAG'));
});

test('PALETTE COLOR (exact) and native YBR_FULL_422 (±1) match dcmtk dcmj2pnm renderings (needs dcmtk)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonoseg-'));
  try {
    for (const [file, tol] of [['pydicom-data/OBXXXX1A.dcm', 0], ['dcm4che/YBR_422.dcm', 1]] as const) {
      const out = path.join(dir, 'ref.ppm');
      execFileSync('dcmj2pnm', ['--write-raw-pnm', shared(file), out]);
      const d = maxAbsDiff((await decodeFile(shared(file))).frames[0]!, readPnm(out));
      assert.ok(d <= tol, `${file}: max diff ${d}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
