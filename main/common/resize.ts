import type { Mask, ProbabilityMap } from './image';
import { SonoError } from './errors';

/**
 * Resizing between the model's input size and the frame's size, with the same sampling as
 * tf.image.resizeBilinear / resizeNearestNeighbor with alignCorners = false, halfPixelCenters = true:
 * output pixel i looks at source position (i + 0.5) · in/out − 0.5, so pixel centres line up and the
 * map does not drift by half a pixel between sizes.
 */
function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new SonoError('INVALID_ARGUMENT', `Cannot resize to ${width}×${height}.`);
  }
}

function checkSource(src: { width: number; height: number; data: ArrayLike<number> }): void {
  if (src.width < 1 || src.height < 1 || src.data.length !== src.width * src.height) {
    throw new SonoError('INVALID_ARGUMENT', `Cannot resize a ${src.width}×${src.height} image of ${src.data.length} values.`);
  }
}

/** Source sample positions for one axis: lower index, upper index, weight of the upper. */
function bilinearTaps(inSize: number, outSize: number): { lo: Int32Array; hi: Int32Array; w: Float64Array } {
  const lo = new Int32Array(outSize), hi = new Int32Array(outSize), w = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    // clamping at the edges repeats the border value, as tfjs does
    const s = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), inSize - 1);
    lo[i] = Math.floor(s);
    hi[i] = Math.min(lo[i]! + 1, inSize - 1);
    w[i] = s - lo[i]!;
  }
  return { lo, hi, w };
}

export function resizeBilinear(src: ProbabilityMap, width: number, height: number): ProbabilityMap {
  checkSource(src);
  checkSize(width, height);
  const xs = bilinearTaps(src.width, width), ys = bilinearTaps(src.height, height);
  const out = new Float32Array(width * height);
  const d = src.data, sw = src.width;
  for (let y = 0; y < height; y++) {
    const r0 = ys.lo[y]! * sw, r1 = ys.hi[y]! * sw, wy = ys.w[y]!;
    for (let x = 0; x < width; x++) {
      const c0 = xs.lo[x]!, c1 = xs.hi[x]!, wx = xs.w[x]!;
      const top = d[r0 + c0]! + (d[r0 + c1]! - d[r0 + c0]!) * wx;
      const bottom = d[r1 + c0]! + (d[r1 + c1]! - d[r1 + c0]!) * wx;
      out[y * width + x] = top + (bottom - top) * wy;
    }
  }
  return { width, height, data: out };
}

/** Nearest source index for each output index: floor((i + 0.5) · in/out), as tfjs with half-pixel centres. */
function nearestTaps(inSize: number, outSize: number): Int32Array {
  const idx = new Int32Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) idx[i] = Math.min(Math.floor((i + 0.5) * scale), inSize - 1);
  return idx;
}

/** Nearest-neighbour resize of a mask: labels stay 0/1, no new values appear. */
export function resizeNearest(src: Mask, width: number, height: number): Mask {
  checkSource(src);
  checkSize(width, height);
  const xs = nearestTaps(src.width, width), ys = nearestTaps(src.height, height);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = ys[y]! * src.width;
    for (let x = 0; x < width; x++) out[y * width + x] = src.data[row + xs[x]!]!;
  }
  return { width, height, data: out };
}

/**
 * Each output index's source pixels and weights when an axis of `inSize` shrinks to `outSize` by area:
 * output i covers the source interval [i · k, (i + 1) · k), k = in/out, and each source pixel weighs by
 * the share of that interval it covers (the weights sum to 1).
 */
function areaTaps(inSize: number, outSize: number): { start: Int32Array; weights: Float64Array[] } {
  const k = inSize / outSize;
  const start = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let i = 0; i < outSize; i++) {
    const a = i * k, b = Math.min((i + 1) * k, inSize);
    const first = Math.floor(a), last = Math.min(Math.ceil(b) - 1, inSize - 1);
    const w = new Float64Array(last - first + 1);
    for (let j = first; j <= last; j++) w[j - first] = (Math.min(j + 1, b) - Math.max(j, a)) / k;
    start[i] = first;
    weights.push(w);
  }
  return { start, weights };
}

/**
 * Shrinks an image by area averaging: each output pixel is the mean of the source area it covers, so
 * every source pixel counts, whatever the scale (bilinear sampling reads only the 2 × 2 pixels nearest
 * each output pixel, and at 3–4× it skips most of the speckle). Neither side may grow; separable, rows
 * first, in O(width · height).
 */
export function shrinkByArea(src: { width: number; height: number; data: ArrayLike<number> }, width: number, height: number): ProbabilityMap {
  checkSource(src);
  checkSize(width, height);
  if (width > src.width || height > src.height) {
    throw new SonoError('INVALID_ARGUMENT', `Cannot shrink a ${src.width}×${src.height} image to ${width}×${height}: a side would grow.`);
  }
  const xs = areaTaps(src.width, width), ys = areaTaps(src.height, height);
  const rows = new Float64Array(width * src.height);
  for (let y = 0; y < src.height; y++) {
    const r = y * src.width;
    for (let x = 0; x < width; x++) {
      const w = xs.weights[x]!, s = r + xs.start[x]!;
      let acc = 0;
      for (let j = 0; j < w.length; j++) acc += src.data[s + j]! * w[j]!;
      rows[y * width + x] = acc;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const w = ys.weights[y]!, s = ys.start[y]!;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let j = 0; j < w.length; j++) acc += rows[(s + j) * width + x]! * w[j]!;
      out[y * width + x] = acc;
    }
  }
  return { width, height, data: out };
}
