import type { Lesion } from '../common/measure';
import type { CalibrationInfo } from './calibration-info';

export interface ContourDocument {
  format: 'sonoseg.contours';
  version: 1;
  image: { width: number; height: number };
  coordinates: string;
  units: 'px';
  calibration: CalibrationInfo;
  lesions: { id: number; closed: true; areaPx: number; points: [number, number][] }[];
}

/**
 * One closed polygon per lesion (outer boundary; holes are not listed), in pixel coordinates of the
 * original frame as main/common/measure gives them. Coordinates stay in pixels even when calibrated
 * (mm would need an origin the image does not define); the calibration block gives the scale.
 */
export function contourDocument(lesions: Lesion[], width: number, height: number, calibration: CalibrationInfo): ContourDocument {
  return {
    format: 'sonoseg.contours',
    version: 1,
    image: { width, height },
    coordinates: 'pixels, x to the right, y down; the centre of pixel (column i, row j) is (i, j), so the image ' +
      'spans [-0.5, width-0.5] x [-0.5, height-0.5] (add 0.5 for corner-origin tools); the outline runs half-way ' +
      'between lesion and background pixel centres; polygons are closed implicitly and run clockwise on screen',
    units: 'px',
    calibration,
    lesions: lesions.map((l) => ({
      id: l.id,
      closed: true,
      areaPx: l.areaPx,
      points: l.contour.map((p) => [round(p.x), round(p.y)] as [number, number]),
    })),
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
