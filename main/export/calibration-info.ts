import type { Calibration } from '../common/study';

/** How lengths in a report were obtained, stated in every report so px values are never read as mm. */
export interface CalibrationInfo {
  /** 'none' when the image carries no calibration: lengths are in pixels only */
  source: Calibration['source'] | 'none';
  mmPerPixelX: number | null;
  mmPerPixelY: number | null;
  lengthUnit: 'mm' | 'px';
  areaUnit: 'mm2' | 'px2';
  /** the calibrated ultrasound region in pixels (x1, y1 exclusive), when the calibration names one */
  region: { x0: number; y0: number; x1: number; y1: number } | null;
  note: string;
}

export function calibrationInfo(cal: Calibration | undefined): CalibrationInfo {
  if (!cal) {
    return {
      source: 'none', mmPerPixelX: null, mmPerPixelY: null, lengthUnit: 'px', areaUnit: 'px2', region: null,
      note: 'UNCALIBRATED: the image carries no pixel spacing; sizes are in pixels, not millimetres.',
    };
  }
  const from = cal.source === 'us-region'
    ? 'DICOM Sequence of Ultrasound Regions (0018,6011)'
    : 'DICOM Pixel Spacing (0028,0030)';
  return {
    source: cal.source, mmPerPixelX: cal.mmPerPixelX, mmPerPixelY: cal.mmPerPixelY, lengthUnit: 'mm', areaUnit: 'mm2',
    region: cal.region ?? null,
    note: `Calibrated from ${from}.`,
  };
}

/**
 * Whether a pixel box lies inside the calibrated region: mm outside the region that carries the
 * spacing (e.g. over a Doppler strip or the text margin) are not valid. null when no region is known.
 */
export function insideRegion(box: { x: number; y: number; width: number; height: number }, cal: CalibrationInfo): boolean | null {
  const r = cal.region;
  if (!r) return null;
  return box.x >= r.x0 && box.y >= r.y0 && box.x + box.width <= r.x1 && box.y + box.height <= r.y1;
}
