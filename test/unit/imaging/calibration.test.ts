import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { decodeFile, generated, realDir, shared } from './helpers';

/** Calibration values from ../shared/fixtures/dicom/INVENTORY.md (US regions in cm, shown as mm/px). */
const cases: Array<[string, number, number]> = [
  ['cornerstone3D/US-YBR_FULL_422-EVRLE.dcm', 0.0616, 1e-4],
  ['cornerstone3D/no-pixel-spacing.dcm', 0.3305, 1e-4],
  ['pydicom-data/gdcm-US-ALOKA-16.dcm', 0.3827, 1e-4],
  ['pydicom-data/gdcm-US-ALOKA-16_big.dcm', 0.3827, 1e-4],
  ['pydicom-data/OBXXXX1A.dcm', 0.2623, 1e-4],
  ['pydicom-data/OBXXXX1A_rle.dcm', 0.2623, 1e-4],
  ['pydicom/examples_ybr_color.dcm', 0.5105, 1e-4],
  ['pylibjpeg-data/JPEGLosslessP14SV1_3s_2f_u_08_08.dcm', 0.02774, 1e-5],
];
for (const [file, mm, tol] of cases) {
  test(`${file}: ${mm} mm/px from the largest 2D ultrasound region`, async () => {
    const s = await decodeFile(shared(file));
    const c = s.calibration;
    assert.ok(c, 'calibration expected');
    assert.equal(c.source, 'us-region');
    assert.ok(Math.abs(c.mmPerPixelX - mm) < tol, `x ${c.mmPerPixelX}`);
    assert.ok(Math.abs(c.mmPerPixelY - mm) < tol, `y ${c.mmPerPixelY}`);
    // Region bounds are kept as declared (examples_ybr_color was downscaled and its region overhangs the frame).
    assert.ok(c.region && c.region.x1 > c.region.x0 && c.region.y1 > c.region.y0);
    assert.ok(!s.warnings.some((w) => w.code === 'NO_CALIBRATION'));
  });
}

test('the largest of several 2D regions is chosen (no-pixel-spacing.dcm has 3 regions)', async () => {
  const s = await decodeFile(shared('cornerstone3D/no-pixel-spacing.dcm'));
  const r = s.calibration!.region!;
  // The B-mode region covers most of the 800×600 frame; the M-mode/Doppler strips are smaller.
  assert.ok((r.x1 - r.x0) * (r.y1 - r.y0) > 0.25 * 800 * 600);
});

test('PixelSpacing is row\\column: 0.2\\0.25 gives 0.25 mm/px along x and 0.2 along y', async () => {
  const s = await decodeFile(generated('mono8_evrle.dcm'));
  assert.deepEqual(s.calibration, { mmPerPixelX: 0.25, mmPerPixelY: 0.2, source: 'pixel-spacing' });
});

test('no calibration gives undefined and a NO_CALIBRATION warning', async () => {
  const s = await decodeFile(shared('dcm4che/US-RGB-8-epicard.dcm'));
  assert.equal(s.calibration, undefined);
  assert.ok(s.warnings.some((w) => w.code === 'NO_CALIBRATION'));
});

test('GH364 (malformed, region attributes outside their sequence) gives 0.251 mm/px without crashing', async () => {
  const s = await decodeFile(path.join(realDir, 'fo-dicom', 'GH364.dcm'));
  assert.ok(Math.abs(s.calibration!.mmPerPixelX - 0.251) < 1e-3);
});
