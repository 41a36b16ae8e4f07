import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { measureLesions, type Lesion } from '../../../main/common/measure';
import type { Calibration } from '../../../main/common/study';
import type { Mask } from '../../../main/common/image';

/** Rasterises a shape: a pixel is lesion when its centre (x = column, y = row) is inside. */
function raster(w: number, h: number, inside: (x: number, y: number) => boolean): Mask {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = inside(x, y) ? 1 : 0;
  return { width: w, height: h, data };
}

/** Rotates (x, y) about (cx, cy) by −θ into the shape's own axes (u along its length). */
function local(x: number, y: number, cx: number, cy: number, deg: number): [number, number] {
  const t = (deg * Math.PI) / 180, c = Math.cos(t), s = Math.sin(t);
  return [(x - cx) * c + (y - cy) * s, -(x - cx) * s + (y - cy) * c];
}

/** |measured − expected| within max(1 px, 1 %): rasterising moves an edge by up to a pixel. */
function near(t: { diagnostic(m: string): void }, what: string, got: number, want: number, px = 1): void {
  const err = got - want;
  t.diagnostic(`${what}: ${got.toFixed(3)} vs ${want.toFixed(3)} (${((100 * err) / want).toFixed(2)} %)`);
  assert.ok(Math.abs(err) <= Math.max(px, 0.01 * want), `${what}: ${got} is not within 1 px / 1 % of ${want}`);
}

function within(t: { diagnostic(m: string): void }, what: string, got: number, want: number, rel: number): void {
  t.diagnostic(`${what}: ${got.toFixed(4)} vs ${want.toFixed(4)} (${((100 * (got - want)) / want).toFixed(2)} %)`);
  assert.ok(Math.abs(got - want) <= rel * want, `${what}: ${got} is not within ${rel * 100} % of ${want}`);
}

const single = (m: Mask, cal: Calibration | null = null): Lesion => {
  const all = measureLesions(m, null, cal);
  assert.equal(all.length, 1);
  return all[0]!;
};

test('a rasterised disc (r = 20.3 px, off-grid centre)', (t) => {
  const r = 20.3;
  const l = single(raster(120, 110, (x, y) => (x - 60.3) ** 2 + (y - 49.6) ** 2 <= r * r));
  within(t, 'area px²', l.areaPx, Math.PI * r * r, 0.01);
  near(t, 'longest px', l.longestDiameter.px, 2 * r);
  near(t, 'perpendicular px', l.perpendicularDiameter.px, 2 * r);
  within(t, 'perimeter px', l.perimeterPx, 2 * Math.PI * r, 0.015);
  assert.equal(l.depthWidthRatio, 1);
  assert.equal(l.tallerThanWide, false);
  assert.ok(Math.abs(l.centroid.x - 60.3) < 0.1 && Math.abs(l.centroid.y - 49.6) < 0.1);
  assert.equal(l.areaMm2, null);
  assert.equal(l.longestDiameter.mm, null);
});

test('an ellipse 80 × 40 px tilted 30°: diameters, depth/width from its extents', (t) => {
  const a = 40, b = 20, deg = 30, th = (deg * Math.PI) / 180;
  const l = single(raster(140, 120, (x, y) => {
    const [u, v] = local(x, y, 70.2, 60.4, deg);
    return (u / a) ** 2 + (v / b) ** 2 <= 1;
  }));
  within(t, 'area px²', l.areaPx, Math.PI * a * b, 0.01);
  near(t, 'longest px', l.longestDiameter.px, 2 * a);
  near(t, 'perpendicular px', l.perpendicularDiameter.px, 2 * b);
  // the long axis points along the tilt
  const dir = Math.atan2(l.longestDiameter.to.y - l.longestDiameter.from.y, l.longestDiameter.to.x - l.longestDiameter.from.x);
  assert.ok(Math.abs(Math.sin(dir - th)) < 0.03, `long axis at ${(dir * 180) / Math.PI}°`);
  // extents of a tilted ellipse: 2·sqrt(a²sin²θ + b²cos²θ) high, 2·sqrt(a²cos²θ + b²sin²θ) wide
  const depth = 2 * Math.sqrt((a * Math.sin(th)) ** 2 + (b * Math.cos(th)) ** 2);
  const width = 2 * Math.sqrt((a * Math.cos(th)) ** 2 + (b * Math.sin(th)) ** 2);
  near(t, 'depth px', l.bbox.height, depth);
  near(t, 'width px', l.bbox.width, width);
  within(t, 'depth/width', l.depthWidthRatio, depth / width, 0.02);
  const ellipsePerimeter = Math.PI * (3 * (a + b) - Math.sqrt((3 * a + b) * (a + 3 * b))); // Ramanujan
  within(t, 'perimeter px', l.perimeterPx, ellipsePerimeter, 0.015);
});

test('a 60 × 30 px rectangle rotated 30°', (t) => {
  const A = 60, Bs = 30, deg = 30, th = (deg * Math.PI) / 180;
  const l = single(raster(120, 110, (x, y) => {
    const [u, v] = local(x, y, 60.2, 55.1, deg);
    return Math.abs(u) <= A / 2 && Math.abs(v) <= Bs / 2;
  }));
  const d = Math.hypot(A, Bs);
  within(t, 'area px²', l.areaPx, A * Bs, 0.01);
  near(t, 'longest px (diagonal)', l.longestDiameter.px, d);
  // Lines perpendicular to the diagonal cross the two long sides over the middle stretch, each
  // at cos(angle) = A/d to their normal, so they all measure Bs·d/A; none is longer.
  near(t, 'perpendicular px', l.perpendicularDiameter.px, (Bs * d) / A);
  const depth = A * Math.sin(th) + Bs * Math.cos(th);
  const width = A * Math.cos(th) + Bs * Math.sin(th);
  near(t, 'depth px', l.bbox.height, depth);
  near(t, 'width px', l.bbox.width, width);
  within(t, 'depth/width', l.depthWidthRatio, depth / width, 0.02);
  within(t, 'perimeter px', l.perimeterPx, 2 * (A + Bs), 0.015);
});

test('anisotropic pixels: a 9 mm disc drawn on 0.1 × 0.2 mm pixels is measured round', (t) => {
  const cal: Calibration = { mmPerPixelX: 0.1, mmPerPixelY: 0.2, source: 'pixel-spacing' };
  const r = 4.5; // mm; 45 px across half-width, 22.5 px half-height
  const l = single(raster(120, 60, (x, y) => ((x - 60.2) * 0.1) ** 2 + ((y - 30.3) * 0.2) ** 2 <= r * r), cal);
  within(t, 'area mm²', l.areaMm2!, Math.PI * r * r, 0.01);
  assert.ok(Math.abs(l.areaMm2! - l.areaPx * 0.02) < 1e-9);
  near(t, 'longest mm', l.longestDiameter.mm!, 2 * r, 0.2); // one pixel is up to 0.2 mm here
  near(t, 'perpendicular mm', l.perpendicularDiameter.mm!, 2 * r, 0.2);
  within(t, 'depth/width (physical)', l.depthWidthRatio, 1, 0.02);
  // 22.5 px of radius along y: the staircase is coarser there, the estimator looser (measured 1.9 %)
  within(t, 'perimeter mm', l.perimeterMm!, 2 * Math.PI * r, 0.025);
  // the same chord in pixel units
  const dl = l.longestDiameter;
  assert.ok(Math.abs(dl.px - Math.hypot(dl.to.x - dl.from.x, dl.to.y - dl.from.y)) < 1e-9);
});

test('anisotropic pixels: a lesion 6 mm deep and 4 mm wide is taller than wide although it is wider in pixels', (t) => {
  const cal: Calibration = { mmPerPixelX: 0.05, mmPerPixelY: 0.2, source: 'us-region' };
  // 80 columns × 30 rows of pixels = 4 mm × 6 mm; rotated 0° so every measure is exact
  const l = single(raster(100, 40, (x, y) => x >= 10 && x < 90 && y >= 5 && y < 35), cal);
  assert.equal(l.areaMm2, 24);
  near(t, 'longest mm (diagonal)', l.longestDiameter.mm!, Math.hypot(4, 6), 0.05);
  assert.ok(Math.abs(l.depthWidthRatio - 1.5) < 1e-12);
  assert.equal(l.tallerThanWide, true);
  assert.ok(l.bbox.width > l.bbox.height);
});

test('several lesions come out largest first, ids from 1, with mean probability', () => {
  const w = 30, h = 10;
  const m = raster(w, h, (x, y) => (x < 3 && y < 3) || (x >= 10 && x < 20 && y >= 2 && y < 8) || (x === 25 && y === 5));
  const p = new Float32Array(w * h);
  for (let i = 0; i < p.length; i++) p[i] = (i % w) < 5 ? 0.6 : 0.9;
  const all = measureLesions(m, { width: w, height: h, data: p }, null);
  assert.deepEqual(all.map((l) => [l.id, l.areaPx]), [[1, 60], [2, 9], [3, 1]]);
  assert.deepEqual(all[0]!.bbox, { x: 10, y: 2, width: 10, height: 6 });
  assert.deepEqual(all[0]!.centroid, { x: 14.5, y: 4.5 });
  assert.ok(Math.abs(all[1]!.meanProbability! - 0.6) < 1e-6);
  assert.ok(Math.abs(all[0]!.meanProbability! - 0.9) < 1e-6);
  assert.equal(all[2]!.longestDiameter.px, 1); // a single pixel spans one pixel
  assert.equal(measureLesions(m, null, null, { minAreaPx: 2 }).length, 2);
  assert.throws(() => measureLesions(m, { width: 2, height: 2, data: new Float32Array(4) }, null));
  assert.throws(() => measureLesions(m, null, { mmPerPixelX: 0, mmPerPixelY: 1, source: 'pixel-spacing' }));
});
