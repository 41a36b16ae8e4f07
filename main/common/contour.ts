import type { Mask } from './image';
import { SonoError } from './errors';
import { connectedComponents, type Components } from './components';
import { removeCollinear, type Point } from './geometry';

/**
 * Boundaries of lesions by marching squares at the 0.5 level on the pixel centres.
 *
 * Why marching squares: the outline runs half-way between a lesion pixel and its background
 * neighbour, i.e. on the pixel edge, so the outline's extent equals the mask's pixel extent (a lesion
 * covering 10 columns is 10 px wide) and lengths are not biased inwards by half a pixel per side, as
 * they are with a polygon through boundary pixel centres. Vertices lie on half-integer pixel
 * coordinates (pixel centres are integers, see geometry.ts).
 *
 * Saddle cells (two diagonal lesion pixels) are joined, matching the 8-connectivity of components.
 * Outer boundaries run clockwise on screen (y down), holes anticlockwise: the lesion is always on
 * the right-hand side of the direction of travel.
 */
export interface ComponentContour {
  /** component label, as in connectedComponents */
  label: number;
  /** outer boundary, closed implicitly (last point joins first), collinear points removed */
  outer: Point[];
  /** boundaries of holes (background enclosed by the component), when asked for */
  holes: Point[][];
}

export interface TraceOptions {
  /** also trace holes (default false) */
  holes?: boolean;
  /** keep every cell crossing (for length estimators) instead of dropping collinear points */
  dense?: boolean;
}

// Cell edges, and the corner bits of a cell: TL=8, TR=4, BR=2, BL=1.
const T = 0, R = 1, B = 2, L = 3;
const PAIRS: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [], [[L, B]], [[B, R]], [[L, R]], [[T, R]], [[T, L], [B, R]], [[T, B]], [[T, L]],
  [[T, L]], [[T, B]], [[T, R], [B, L]], [[T, R]], [[L, R]], [[R, B]], [[L, B]], [],
];
/** EXIT[case * 4 + entry] = the edge through which the outline leaves the cell, or -1 */
const EXIT: Int8Array = (() => {
  const t = new Int8Array(64).fill(-1);
  PAIRS.forEach((pairs, c) => {
    for (const [a, b] of pairs) { t[c * 4 + a] = b; t[c * 4 + b] = a; }
  });
  return t;
})();
const OPPOSITE = [B, L, T, R];
const STEP_X = [0, 1, 0, -1];
const STEP_Y = [-1, 0, 1, 0];
const MID_X = [0.5, 1, 0.5, 0];
const MID_Y = [0, 0.5, 1, 0.5];

/** One component cut out of the label image with one pixel of background padding on every side. */
interface Grid {
  w: number;
  h: number;
  /** pixel coordinates of grid (0, 0) */
  ox: number;
  oy: number;
  data: Uint8Array;
}

function cropComponent(c: Components, label: number): Grid {
  const box = c.boxes[label]!;
  const ox = box.x0 - 1, oy = box.y0 - 1;
  const w = box.x1 - box.x0 + 2, h = box.y1 - box.y0 + 2;
  const data = new Uint8Array(w * h);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      if (c.labels[y * c.width + x] === label) data[(y - oy) * w + (x - ox)] = 1;
    }
  }
  return { w, h, ox, oy, data };
}

function cellCase(g: Grid, cx: number, cy: number): number {
  const at = (x: number, y: number): number =>
    x >= 0 && y >= 0 && x < g.w && y < g.h ? g.data[y * g.w + x]! : 0;
  return at(cx, cy) * 8 + at(cx + 1, cy) * 4 + at(cx + 1, cy + 1) * 2 + at(cx, cy + 1);
}

/** Follows the outline from a cell and entry edge until it comes back; returns pixel coordinates. */
function trace(g: Grid, startX: number, startY: number, startEdge: number): Point[] {
  const pts: Point[] = [];
  let cx = startX, cy = startY, entry = startEdge;
  const limit = 4 * g.w * g.h + 4;
  do {
    pts.push({ x: g.ox + cx + MID_X[entry]!, y: g.oy + cy + MID_Y[entry]! });
    const exit = EXIT[cellCase(g, cx, cy) * 4 + entry]!;
    if (exit < 0 || pts.length > limit) {
      throw new SonoError('INTERNAL', 'Contour tracing lost the lesion boundary.');
    }
    cx += STEP_X[exit]!;
    cy += STEP_Y[exit]!;
    entry = OPPOSITE[exit]!;
  } while (cx !== startX || cy !== startY || entry !== startEdge);
  return pts;
}

/** First pixel (raster order) of each background region not reachable from the grid's border. */
function holeSeeds(g: Grid): number[] {
  const { w, h, data } = g;
  const region = new Int32Array(w * h); // 0 unvisited, -1 outside, k > 0 hole k
  const queue = new Int32Array(w * h);
  const flood = (start: number, mark: number): void => {
    let tail = 0;
    region[start] = mark;
    queue[tail++] = start;
    for (let head = 0; head < tail; head++) {
      const i = queue[head]!;
      const x = i % w;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w]) {
        if (j >= 0 && j < w * h && data[j] === 0 && region[j] === 0) { region[j] = mark; queue[tail++] = j; }
      }
    }
  };
  flood(0, -1); // the padding ring is background and connects the whole outside
  const seeds: number[] = [];
  for (let i = 0; i < w * h; i++) {
    if (data[i] === 0 && region[i] === 0) { seeds.push(i); flood(i, seeds.length); }
  }
  return seeds;
}

/** Traces one labelled component: its outer boundary and, if asked, its holes. */
export function traceComponent(c: Components, label: number, options: TraceOptions = {}): ComponentContour {
  if (!Number.isInteger(label) || label < 1 || label > c.count) {
    throw new SonoError('INVALID_ARGUMENT', `There is no component ${label}.`);
  }
  const g = cropComponent(c, label);
  const tidy = (p: Point[]): Point[] => (options.dense ? p : removeCollinear(p));
  const first = g.data.indexOf(1);
  const fx = first % g.w, fy = (first - fx) / g.w;
  // The first lesion pixel has background above and to its left: enter the cell above it from the left.
  const outer = tidy(trace(g, fx, fy - 1, L));
  const holes: Point[][] = [];
  if (options.holes) {
    for (const s of holeSeeds(g)) {
      const hx = s % g.w, hy = (s - hx) / g.w;
      // A hole's first pixel has lesion above and to its left: enter the cell above-left from the right.
      holes.push(tidy(trace(g, hx - 1, hy - 1, R)));
    }
  }
  return { label, outer, holes };
}

/** Contours of every 8-connected component of the mask, in label (raster) order. */
export function traceContours(mask: Mask, options: TraceOptions = {}): ComponentContour[] {
  const c = connectedComponents(mask);
  const out: ComponentContour[] = [];
  for (let k = 1; k <= c.count; k++) out.push(traceComponent(c, k, options));
  return out;
}
