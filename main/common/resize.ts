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
