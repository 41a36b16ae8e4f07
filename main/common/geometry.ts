/**
 * Plane geometry on polygons. Pixel coordinates put the centre of pixel (column i, row j) at
 * (x = i, y = j), with y growing downwards as on screen. Polygons are closed implicitly: the last
 * point joins the first, which is not repeated.
 */
export interface Point {
  x: number;
  y: number;
}

/** Signed shoelace area; positive for polygons running clockwise on screen (y down). */
export function signedArea(poly: readonly Point[]): number {
  let s = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    s += poly[j]!.x * poly[i]!.y - poly[i]!.x * poly[j]!.y;
  }
  return s / 2;
}

/** Length of the closed polygon, with x and y scaled by sx and sy (physical units when calibrated). */
export function closedLength(poly: readonly Point[], sx = 1, sy = 1): number {
  let s = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    s += Math.hypot((poly[i]!.x - poly[j]!.x) * sx, (poly[i]!.y - poly[j]!.y) * sy);
  }
  return s;
}

/** Drops points lying exactly on the segment between their neighbours (the shape is unchanged). */
export function removeCollinear(poly: readonly Point[]): Point[] {
  const n = poly.length;
  if (n < 3) return poly.slice();
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    const a = poly[(i + n - 1) % n]!;
    const b = poly[i]!;
    const c = poly[(i + 1) % n]!;
    const cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
    const dot = (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y);
    if (cross !== 0 || dot < 0) out.push(b);
  }
  return out;
}

/** Convex hull by Andrew's monotone chain; collinear points on the hull are left out. */
export function convexHull(points: readonly Point[]): Point[] {
  const p = points.slice().sort((a, b) => a.x - b.x || a.y - b.y);
  if (p.length < 3) return p;
  const cross = (o: Point, a: Point, b: Point): number =>
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * The two points farthest apart. The farthest pair of a set lies on its convex hull, so only hull
 * vertices are compared; all pairs are tried (hulls of traced lesions have at most a few hundred
 * vertices), which is simpler to trust than rotating calipers and just as exact.
 */
export function farthestPair(points: readonly Point[]): [Point, Point] {
  const hull = convexHull(points);
  if (hull.length === 0) throw new RangeError('farthestPair needs at least one point');
  let best: [Point, Point] = [hull[0]!, hull[0]!];
  let bestD = -1;
  for (let i = 0; i < hull.length; i++) {
    for (let j = i + 1; j < hull.length; j++) {
      const d = (hull[i]!.x - hull[j]!.x) ** 2 + (hull[i]!.y - hull[j]!.y) ** 2;
      if (d > bestD) { bestD = d; best = [hull[i]!, hull[j]!]; }
    }
  }
  return best;
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
