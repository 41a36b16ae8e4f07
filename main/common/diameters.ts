import { farthestPair, type Point } from './geometry';

/**
 * Caliper measurements on a closed outline. All inputs and outputs here are in one isotropic
 * (physical) space: callers scale pixel coordinates by the pixel spacing first, so that a lesion
 * on anisotropic pixels is measured as it is in the body, not as it looks on the pixel grid.
 */
export interface Chord {
  from: Point;
  to: Point;
  length: number;
}

/** Longest chord: the two outline points farthest apart (the lesion's maximal diameter). */
export function longestChord(outline: readonly Point[]): Chord {
  const [a, b] = farthestPair(outline);
  return { from: a, to: b, length: Math.hypot(a.x - b.x, a.y - b.y) };
}

/**
 * The lesion's largest extent along a line perpendicular to the given axis: for every line
 * perpendicular to the axis, its extent is the distance between its first and last crossing of the
 * outline; the longest such extent is returned (for a convex lesion, the longest perpendicular chord,
 * as calipers are placed for a "perpendicular diameter").
 *
 * Along the axis, that extent is piecewise linear and convex between the positions of outline
 * vertices, so its maximum is reached at a vertex position: testing the line through every vertex
 * is exact. Cost O(n²) for n vertices (collinear points removed first keeps n small).
 */
export function perpendicularExtent(outline: readonly Point[], axis: Chord): Chord {
  const n = outline.length;
  const ux0 = axis.to.x - axis.from.x, uy0 = axis.to.y - axis.from.y;
  const len = Math.hypot(ux0, uy0);
  if (n < 2 || len === 0) {
    const p = outline[0] ?? axis.from;
    return { from: p, to: p, length: 0 };
  }
  const ux = ux0 / len, uy = uy0 / len; // along the axis
  const nx = -uy, ny = ux; // perpendicular
  const along = outline.map((p) => p.x * ux + p.y * uy);
  const across = outline.map((p) => p.x * nx + p.y * ny);
  let best: Chord = { from: outline[0]!, to: outline[0]!, length: 0 };
  for (let v = 0; v < n; v++) {
    const c = along[v]!;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = along[j]!, b = along[i]!;
      if ((a - c) * (b - c) > 0) continue; // the edge lies wholly on one side of the line
      // An edge lying on the line contributes both ends; otherwise its crossing point.
      const t0 = a === b ? across[j]! : across[j]! + (across[i]! - across[j]!) * (c - a) / (b - a);
      const t1 = a === b ? across[i]! : t0;
      lo = Math.min(lo, t0, t1);
      hi = Math.max(hi, t0, t1);
    }
    if (hi - lo > best.length) {
      best = {
        from: { x: c * ux + lo * nx, y: c * uy + lo * ny },
        to: { x: c * ux + hi * nx, y: c * uy + hi * ny },
        length: hi - lo,
      };
    }
  }
  return best;
}
