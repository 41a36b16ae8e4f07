import type { Lesion } from '../common/measure';
import { insideRegion, type CalibrationInfo } from './calibration-info';

export interface ReportContext {
  /** source file name, or null when de-identified (a file name can carry a patient name) */
  sourceName: string | null;
  sourceKind: 'dicom' | 'raster';
  frameIndex: number;
  width: number;
  height: number;
  model: { id: string; version: string; name: string };
  threshold: number;
  maskEdited: boolean;
  calibration: CalibrationInfo;
  createdAt: string;
}

/**
 * One row per lesion. Units are part of every column name (`_px`, `_px2`, `_mm`, `_mm2`); mm columns
 * are empty when the image is uncalibrated and the calibration columns say so on every row, so a row
 * copied out of the file still carries its units.
 */
export const CSV_COLUMNS = [
  'lesion_id', 'area_px2', 'area_mm2', 'perimeter_px', 'perimeter_mm',
  'longest_diameter_px', 'longest_diameter_mm', 'perpendicular_diameter_px', 'perpendicular_diameter_mm',
  'depth_width_ratio', 'taller_than_wide', 'centroid_x_px', 'centroid_y_px',
  'bbox_x_px', 'bbox_y_px', 'bbox_width_px', 'bbox_height_px', 'mean_probability',
  'calibration_source', 'mm_per_pixel_x', 'mm_per_pixel_y', 'length_unit', 'within_calibrated_region',
] as const;

type Row = Record<(typeof CSV_COLUMNS)[number], number | string | boolean | null>;

export function lesionRow(l: Lesion, cal: CalibrationInfo): Row {
  return {
    lesion_id: l.id,
    area_px2: l.areaPx,
    area_mm2: fixed(l.areaMm2, 3),
    perimeter_px: fixed(l.perimeterPx, 2),
    perimeter_mm: fixed(l.perimeterMm, 3),
    longest_diameter_px: fixed(l.longestDiameter.px, 2),
    longest_diameter_mm: fixed(l.longestDiameter.mm, 3),
    perpendicular_diameter_px: fixed(l.perpendicularDiameter.px, 2),
    perpendicular_diameter_mm: fixed(l.perpendicularDiameter.mm, 3),
    depth_width_ratio: fixed(l.depthWidthRatio, 3),
    taller_than_wide: l.tallerThanWide,
    centroid_x_px: fixed(l.centroid.x, 2),
    centroid_y_px: fixed(l.centroid.y, 2),
    bbox_x_px: l.bbox.x,
    bbox_y_px: l.bbox.y,
    bbox_width_px: l.bbox.width,
    bbox_height_px: l.bbox.height,
    mean_probability: fixed(l.meanProbability, 4),
    calibration_source: cal.source,
    mm_per_pixel_x: cal.mmPerPixelX,
    mm_per_pixel_y: cal.mmPerPixelY,
    length_unit: cal.lengthUnit,
    within_calibrated_region: insideRegion(l.bbox, cal),
  };
}

/** RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote or line break. */
export function measurementsCsv(lesions: Lesion[], cal: CalibrationInfo): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const l of lesions) {
    const row = lesionRow(l, cal);
    lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function measurementsJson(lesions: Lesion[], ctx: ReportContext): object {
  return {
    format: 'sonoseg.measurements',
    version: 1,
    disclaimer: 'Research use only. Not for diagnostic use.',
    createdAt: ctx.createdAt,
    source: { name: ctx.sourceName, kind: ctx.sourceKind, frameIndex: ctx.frameIndex, width: ctx.width, height: ctx.height },
    model: ctx.model,
    threshold: ctx.threshold,
    maskEdited: ctx.maskEdited,
    calibration: ctx.calibration,
    units: {
      length: ctx.calibration.lengthUnit, area: ctx.calibration.areaUnit,
      coordinates: 'px (pixel centres on integers, y down)',
    },
    lesionCount: lesions.length,
    lesions: lesions.map((l) => lesionRow(l, ctx.calibration)),
  };
}

function fixed(v: number | null, digits: number): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  return Number(v.toFixed(digits));
}

function csvField(v: number | string | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
