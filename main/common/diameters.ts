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
 * is exact. Edges are bucketed by position along the axis so each line only meets the edges near it:
 * about linear time even for the ragged outlines of noisy predictions.
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
  const along = Float64Array.from(outline, (p) => p.x * ux + p.y * uy);
  const across = Float64Array.from(outline, (p) => p.x * nx + p.y * ny);
  const index = new EdgeIndex(along);
  let best: Chord = { from: outline[0]!, to: outline[0]!, length: 0 };
  for (let v = 0; v < n; v++) {
    const c = along[v]!;
    let lo = Infinity, hi = -Infinity;
    for (const i of index.near(c)) {
      const j = i === 0 ? n - 1 : i - 1; // edge from vertex j to vertex i
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

/** Closed-polygon edges (edge i runs from vertex i − 1 to vertex i) bucketed by their span along the axis. */
class EdgeIndex {
  private readonly min: number;
  private readonly width: number;
  private readonly start: Int32Array;
  private readonly edges: Int32Array;

  constructor(along: Float64Array) {
    const n = along.length;
    let min = Infinity, max = -Infinity;
    for (const a of along) { min = Math.min(min, a); max = Math.max(max, a); }
    const buckets = Math.max(1, Math.min(n, Math.ceil(max - min)));
    this.min = min;
    this.width = (max - min) / buckets || 1;
    const span = (i: number): [number, number] => {
      const a = along[i === 0 ? n - 1 : i - 1]!, b = along[i]!;
      return [this.bucket(Math.min(a, b), buckets), this.bucket(Math.max(a, b), buckets)];
    };
    this.start = new Int32Array(buckets + 1);
    for (let i = 0; i < n; i++) { const [k0, k1] = span(i); for (let k = k0; k <= k1; k++) this.start[k + 1]!++; }
    for (let k = 0; k < buckets; k++) this.start[k + 1]! += this.start[k]!;
    this.edges = new Int32Array(this.start[buckets]!);
    const fill = this.start.slice(0, buckets);
    for (let i = 0; i < n; i++) { const [k0, k1] = span(i); for (let k = k0; k <= k1; k++) this.edges[fill[k]!++] = i; }
  }

  private bucket(a: number, buckets: number): number {
    return Math.min(buckets - 1, Math.max(0, Math.floor((a - this.min) / this.width)));
  }

  /** Edges whose span along the axis may contain c (a superset; callers test each). */
  near(c: number): Int32Array {
    const k = this.bucket(c, this.start.length - 1);
    return this.edges.subarray(this.start[k]!, this.start[k + 1]!);
  }
}
