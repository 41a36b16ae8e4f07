import type { Calibration } from '../common/study';

/** How lengths in a report were obtained, stated in every report so px values are never read as mm. */
export interface CalibrationInfo {
  /** 'none' when the image carries no calibration: lengths are in pixels only */
  source: Calibration['source'] | 'none';
  mmPerPixelX: number | null;
  mmPerPixelY: number | null;
  lengthUnit: 'mm' | 'px';
  areaUnit: 'mm2' | 'px2';
  note: string;
}

export function calibrationInfo(cal: Calibration | undefined): CalibrationInfo {
  if (!cal) {
    return {
      source: 'none', mmPerPixelX: null, mmPerPixelY: null, lengthUnit: 'px', areaUnit: 'px2',
      note: 'UNCALIBRATED: the image carries no pixel spacing; sizes are in pixels, not millimetres.',
    };
  }
  const from = cal.source === 'us-region'
    ? 'DICOM Sequence of Ultrasound Regions (0018,6011)'
    : 'DICOM Pixel Spacing (0028,0030)';
  return {
    source: cal.source, mmPerPixelX: cal.mmPerPixelX, mmPerPixelY: cal.mmPerPixelY, lengthUnit: 'mm', areaUnit: 'mm2',
    note: `Calibrated from ${from}.`,
  };
}
