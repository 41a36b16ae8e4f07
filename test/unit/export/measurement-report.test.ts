import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { measureLesions } from '../../../main/common/measure';
import { calibrationInfo } from '../../../main/export/calibration-info';
import { CSV_COLUMNS, measurementsCsv, measurementsJson } from '../../../main/export/measurement-report';
import { contourDocument } from '../../../main/export/contour-document';
import { discProbability, thresholdAt } from './synthetic';

function twoLesions() {
  const big = thresholdAt(discProbability(120, 80, 40, 40, 20), 0.5);
  const small = thresholdAt(discProbability(120, 80, 100, 20, 6), 0.5);
  const data = big.data.map((v, i) => v | small.data[i]!);
  return { width: 120, height: 80, data };
}

function parseCsv(text: string): string[][] {
  return text.trimEnd().split('\r\n').map((l) => l.split(','));
}

test('every column name carries its unit and one row is written per lesion', () => {
  for (const c of CSV_COLUMNS) {
    if (['lesion_id', 'depth_width_ratio', 'taller_than_wide', 'mean_probability', 'calibration_source', 'length_unit', 'within_calibrated_region'].includes(c)) continue;
    assert.match(c, /_(px|px2|mm|mm2|x|y)$/, c);
  }
  const lesions = measureLesions(twoLesions(), null, null);
  const rows = parseCsv(measurementsCsv(lesions, calibrationInfo(undefined)));
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.length, 1 + 2);
});

test('without calibration the mm columns are empty and the rows say px and none', () => {
  const lesions = measureLesions(twoLesions(), null, null);
  const rows = parseCsv(measurementsCsv(lesions, calibrationInfo(undefined)));
  const col = (name: string): number => rows[0]!.indexOf(name);
  for (const r of rows.slice(1)) {
    assert.equal(r[col('area_mm2')], '');
    assert.equal(r[col('longest_diameter_mm')], '');
    assert.equal(r[col('calibration_source')], 'none');
    assert.equal(r[col('length_unit')], 'px');
    assert.equal(Number(r[col('area_px2')]), lesions[Number(r[col('lesion_id')]) - 1]!.areaPx);
  }
});

test('with calibration mm values follow from the pixel spacing and the source is stated', () => {
  const cal = { mmPerPixelX: 0.1, mmPerPixelY: 0.2, source: 'us-region' as const };
  const lesions = measureLesions(twoLesions(), null, cal);
  const info = calibrationInfo(cal);
  const rows = parseCsv(measurementsCsv(lesions, info));
  const col = (name: string): number => rows[0]!.indexOf(name);
  const first = rows[1]!;
  assert.ok(Math.abs(Number(first[col('area_mm2')]) - lesions[0]!.areaPx * 0.02) < 1e-3);
  assert.equal(first[col('calibration_source')], 'us-region');
  assert.equal(first[col('mm_per_pixel_y')], '0.2');
  const doc = measurementsJson(lesions, {
    sourceName: null, sourceKind: 'dicom', frameIndex: 0, width: 120, height: 80,
    model: { id: 'm', version: '1', name: 'U-Net' }, threshold: 0.5, maskEdited: false, calibration: info, createdAt: 'now',
  }) as { units: { length: string; area: string }; lesions: { area_mm2: number }[]; calibration: { note: string } };
  assert.deepEqual([doc.units.length, doc.units.area], ['mm', 'mm2']);
  assert.equal(doc.lesions.length, 2);
  assert.match(doc.calibration.note, /0018,6011/);
});

test('no lesion gives a header-only CSV', () => {
  const empty = { width: 10, height: 10, data: new Uint8Array(100) };
  assert.equal(measurementsCsv(measureLesions(empty, null, null), calibrationInfo(undefined)), `${CSV_COLUMNS.join(',')}\r\n`);
});

test('the contour document lists one closed polygon per lesion in pixel units', () => {
  const lesions = measureLesions(twoLesions(), null, null);
  const doc = contourDocument(lesions, 120, 80, calibrationInfo(undefined));
  assert.equal(doc.lesions.length, 2);
  assert.equal(doc.units, 'px');
  assert.deepEqual(doc.image, { width: 120, height: 80 });
  const xs = doc.lesions[0]!.points.map((p) => p[0]);
  // the big disc spans columns 20..60 around centre 40
  assert.ok(Math.min(...xs) >= 19 && Math.max(...xs) <= 61, `${Math.min(...xs)}..${Math.max(...xs)}`);
});

test('a lesion outside the calibrated region is flagged', () => {
  // big disc spans columns 20..60, the small one 94..106: the region ends at column 80
  const cal = { mmPerPixelX: 0.1, mmPerPixelY: 0.1, source: 'us-region' as const, region: { x0: 0, y0: 0, x1: 80, y1: 80 } };
  const lesions = measureLesions(twoLesions(), null, cal);
  const rows = parseCsv(measurementsCsv(lesions, calibrationInfo(cal)));
  const col = rows[0]!.indexOf('within_calibrated_region');
  assert.deepEqual(rows.slice(1).map((r) => r[col]), ['true', 'false']);
  const none = parseCsv(measurementsCsv(lesions, calibrationInfo(undefined)));
  assert.deepEqual(none.slice(1).map((r) => r[col]), ['', '']);
});
