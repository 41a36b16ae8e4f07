import type { DataSet } from 'dicom-parser';
import type { Calibration, Warning } from '../../common/study';

const US_REGIONS = 'x00186011';
const CM = 3; // PhysicalUnits code 3 = cm (PS3.3 C.8.5.5.1.15)
const SPATIAL_2D = 1; // RegionSpatialFormat 1 = 2D tissue or flow (C.8.5.5.1.1)

interface Region { mmX: number; mmY: number; x0: number; y0: number; x1: number; y1: number; area: number }

/**
 * Pixel size from the Sequence of Ultrasound Regions (0018,6011; PS3.3 C.8.5.5): of the 2D regions
 * measured in cm, the largest is the B-mode image; its PhysicalDeltaX/Y (0018,602C/602E) are cm per pixel.
 * Without one, Pixel Spacing (0028,0030) — row spacing first, then column spacing, in mm. Without either,
 * undefined and a NO_CALIBRATION warning: lengths cannot be given in mm.
 */
export function readCalibration(ds: DataSet, warnings: Warning[]): Calibration | undefined {
  const items = ds.elements[US_REGIONS]?.items ?? [];
  let regions = items.flatMap((item) => (item.dataSet ? readRegion(item.dataSet) : []));
  if (!ds.elements[US_REGIONS] && ds.elements['x0018602c']) {
    // Some writers (fo-dicom GH364) lost the sequence header and left one region's attributes at top level.
    regions = readRegion(ds);
    if (regions.length > 0) warnings.push({ code: 'MALFORMED_TAG', message: 'Ultrasound region attributes were found outside their sequence; calibration read from them.' });
  }
  const best = regions.sort((a, b) => b.area - a.area)[0];
  if (best) {
    return { mmPerPixelX: best.mmX, mmPerPixelY: best.mmY, source: 'us-region', region: { x0: best.x0, y0: best.y0, x1: best.x1, y1: best.y1 } };
  }
  const rowSpacing = ds.floatString('x00280030', 0);
  const colSpacing = ds.floatString('x00280030', 1);
  if (isPositive(rowSpacing) && isPositive(colSpacing)) {
    return { mmPerPixelX: colSpacing, mmPerPixelY: rowSpacing, source: 'pixel-spacing' };
  }
  warnings.push({ code: 'NO_CALIBRATION', message: 'The file carries no pixel spacing; measurements will be in pixels.' });
  return undefined;
}

function readRegion(r: DataSet): Region[] {
  if (r.uint16('x00186012') !== SPATIAL_2D) return [];
  if (r.uint16('x00186024') !== CM || r.uint16('x00186026') !== CM) return [];
  const dx = Math.abs(r.double('x0018602c') ?? NaN);
  const dy = Math.abs(r.double('x0018602e') ?? NaN);
  if (!isPositive(dx) || !isPositive(dy)) return [];
  const x0 = r.uint32('x00186018') ?? 0;
  const y0 = r.uint32('x0018601a') ?? 0;
  // RegionLocationMax is inclusive (C.8.5.5.1.2); our region's max is exclusive.
  const x1 = (r.uint32('x0018601c') ?? x0) + 1;
  const y1 = (r.uint32('x0018601e') ?? y0) + 1;
  return [{ mmX: dx * 10, mmY: dy * 10, x0, y0, x1, y1, area: Math.max(0, x1 - x0) * Math.max(0, y1 - y0) }];
}

function isPositive(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v) && v > 0;
}
