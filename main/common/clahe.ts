import { SonoError } from './errors';

/**
 * Contrast-limited adaptive histogram equalisation (Zuiderveld, "Contrast limited adaptive histogram
 * equalization", Graphics Gems IV, 1994 — the algorithm behind OpenCV's createCLAHE and scikit-image's
 * equalize_adapthist). The image is cut into tiles × tiles regions; each region's 256-bin histogram is
 * clipped at `clip` times the uniform bin height (the excess spread back over all bins), its cumulative sum
 * is that region's grey-level mapping, and each pixel takes the bilinear blend of the mappings of the
 * four region centres around it (the nearest ones at the borders). Every region's contrast is
 * stretched, but no more than the clip allows, so speckle in a flat area is not blown up.
 */
export interface ClaheSettings {
  /** regions per side (the grid is tiles × tiles) */
  tiles: number;
  /** clip limit, in multiples of the uniform histogram's bin height (1 = no stretching; OpenCV's default 2) */
  clip: number;
}

export const DEFAULT_CLAHE: ClaheSettings = { tiles: 8, clip: 2 };

const BINS = 256;

export function checkClahe(s: unknown, code: 'MODEL_INVALID' | 'INVALID_ARGUMENT'): asserts s is ClaheSettings {
  const c = s as Partial<ClaheSettings> | null;
  if (typeof c !== 'object' || c === null) throw new SonoError(code, 'the CLAHE settings must be an object {tiles, clip}');
  if (!(Number.isInteger(c.tiles) && c.tiles! >= 1 && c.tiles! <= 64)) throw new SonoError(code, `CLAHE tiles must be a whole number from 1 to 64, got ${String(c.tiles)}`);
  if (!(typeof c.clip === 'number' && c.clip >= 1 && c.clip <= 256)) throw new SonoError(code, `the CLAHE clip limit must be from 1 to 256, got ${String(c.clip)}`);
}

/**
 * Grey values in [0, 255] (row-major, width × height; fractions are binned to the nearest level) →
 * equalised values in [0, 255]. An image smaller than the grid uses one region per pixel row/column at most.
 */
export function clahe(data: ArrayLike<number>, width: number, height: number, s: ClaheSettings = DEFAULT_CLAHE): Float32Array {
  checkClahe(s, 'INVALID_ARGUMENT');
  if (data.length !== width * height) throw new SonoError('INVALID_ARGUMENT', `CLAHE got ${data.length} values for a ${width}×${height} image`);
  const tx = Math.min(s.tiles, width), ty = Math.min(s.tiles, height);
  const bin = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) bin[i] = Math.round(Math.min(255, Math.max(0, data[i]!)));
  // region r along an axis covers [edge(r), edge(r + 1))
  const xEdge = (r: number) => Math.round((r * width) / tx);
  const yEdge = (r: number) => Math.round((r * height) / ty);
  const maps: Float32Array[] = [];
  for (let ry = 0; ry < ty; ry++) {
    for (let rx = 0; rx < tx; rx++) maps.push(regionMap(bin, width, xEdge(rx), xEdge(rx + 1), yEdge(ry), yEdge(ry + 1), s.clip));
  }
  // OpenCV's convention: region r's mapping is exact at (its first column + its last + 1) / 2
  const xCentre = Array.from({ length: tx }, (_, r) => (xEdge(r) + xEdge(r + 1)) / 2);
  const yCentre = Array.from({ length: ty }, (_, r) => (yEdge(r) + yEdge(r + 1)) / 2);
  const xw = blendWeights(width, xCentre), yw = blendWeights(height, yCentre);
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    const up = yw.lo[y]! * tx, down = yw.hi[y]! * tx, fy = yw.f[y]!;
    for (let x = 0; x < width; x++) {
      const left = xw.lo[x]!, right = xw.hi[x]!, fx = xw.f[x]!;
      const v = bin[y * width + x]!;
      const top = maps[up + left]![v]! * (1 - fx) + maps[up + right]![v]! * fx;
      const bottom = maps[down + left]![v]! * (1 - fx) + maps[down + right]![v]! * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** One region's clipped-histogram mapping, level → [0, 255]. */
function regionMap(bin: Uint8Array, width: number, x0: number, x1: number, y0: number, y1: number, clip: number): Float32Array {
  const hist = new Float64Array(BINS);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) hist[bin[y * width + x]!]!++;
  const n = (x1 - x0) * (y1 - y0);
  // a whole number of pixels, at least one; the excess goes back evenly in whole pixels and its remainder one
  // pixel a bin at an even step from the darkest level (Zuiderveld's code; OpenCV's, which this matches)
  const limit = Math.max(1, Math.floor((clip * n) / BINS));
  let excess = 0;
  for (let b = 0; b < BINS; b++) {
    if (hist[b]! > limit) { excess += hist[b]! - limit; hist[b] = limit; }
  }
  const batch = Math.floor(excess / BINS);
  let residual = excess - batch * BINS;
  for (let b = 0; b < BINS; b++) hist[b]! += batch;
  const step = residual > 0 ? Math.max(Math.floor(BINS / residual), 1) : BINS;
  for (let b = 0; b < BINS && residual > 0; b += step, residual--) hist[b]!++;
  const map = new Float32Array(BINS);
  let cum = 0;
  for (let b = 0; b < BINS; b++) {
    cum += hist[b]!;
    map[b] = (255 * cum) / n;
  }
  return map;
}

/** For each pixel along an axis: the regions whose centres bracket it and the weight of the upper one. */
function blendWeights(length: number, centres: number[]): { lo: Int32Array; hi: Int32Array; f: Float32Array } {
  const lo = new Int32Array(length), hi = new Int32Array(length), f = new Float32Array(length);
  const last = centres.length - 1;
  let r = 0;
  for (let i = 0; i < length; i++) {
    while (r < last && centres[r + 1]! <= i) r++;
    if (i <= centres[0]!) { lo[i] = hi[i] = 0; f[i] = 0; continue; }
    if (i >= centres[last]!) { lo[i] = hi[i] = last; f[i] = 0; continue; }
    lo[i] = r; hi[i] = r + 1;
    f[i] = (i - centres[r]!) / (centres[r + 1]! - centres[r]!);
  }
  return { lo, hi, f };
}
