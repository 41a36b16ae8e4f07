import type { Diameter, Lesion } from '../../../main/common';

/**
 * Measurement text with its unit always written out: mm and mm² when the image is calibrated, px and
 * px² otherwise, so an uncalibrated number is never mistaken for millimetres.
 */
export function formatArea(l: Lesion): string {
  return l.areaMm2 !== null ? `${l.areaMm2.toFixed(1)} mm²` : `${l.areaPx} px²`;
}

export function formatLength(d: Diameter): string {
  return d.mm !== null ? `${d.mm.toFixed(1)} mm` : `${d.px.toFixed(1)} px`;
}

/** longest × perpendicular, one unit for both */
export function formatDiameters(l: Lesion): string {
  const [a, b] = [l.longestDiameter, l.perpendicularDiameter];
  return a.mm !== null && b.mm !== null ? `${a.mm.toFixed(1)} × ${b.mm.toFixed(1)} mm` : `${a.px.toFixed(1)} × ${b.px.toFixed(1)} px`;
}

/** depth / width; ≥ 1 is the "taller than wide" sign, marked with ▲ */
export function formatRatio(l: Lesion): string {
  return `${l.depthWidthRatio.toFixed(2)}${l.tallerThanWide ? ' ▲' : ''}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
