import type { Mask, ProbabilityMap } from './image';
import { SonoError } from './errors';
import { assertMask, connectedComponents, labelsBySize } from './components';

export interface CleanOptions {
  /** keep only the largest component (after hole filling and the area filter) */
  largestOnly?: boolean;
  /** drop components with fewer pixels than this (counted after hole filling) */
  minAreaPx?: number;
  /** fill background regions that do not touch the image border */
  fillHoles?: boolean;
}

export function assertProbability(prob: ProbabilityMap, what = 'probability map'): void {
  const { width, height, data } = prob;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0 ||
      data.length !== width * height) {
    throw new SonoError('INVALID_ARGUMENT',
      `The ${what} holds ${data.length} values, which does not match its size ${width}×${height}.`);
  }
}

/** The predicted mask at threshold t: a pixel is lesion when its probability p ≥ t. */
export function threshold(prob: ProbabilityMap, t: number): Mask {
  assertProbability(prob);
  if (!Number.isFinite(t)) throw new SonoError('INVALID_ARGUMENT', `The threshold ${t} is not a number.`);
  const n = prob.data.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = prob.data[i]! >= t ? 1 : 0;
  return { width: prob.width, height: prob.height, data: out };
}

/** Number of lesion pixels. */
export function maskArea(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] !== 0) n++;
  return n;
}

export function isEmptyMask(mask: Mask): boolean {
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] !== 0) return false;
  return true;
}

/**
 * Fills holes: background pixels that cannot reach the border through 4-connected background
 * (4-connected because lesions are 8-connected; a diagonal gap in a lesion's rim does not open a hole).
 */
export function fillHoles(mask: Mask): Mask {
  assertMask(mask);
  const { width: w, height: h, data } = mask;
  const outside = new Uint8Array(w * h);
  const queue = new Int32Array(w * h);
  let tail = 0;
  const seed = (i: number): void => {
    if (data[i] === 0 && outside[i] === 0) { outside[i] = 1; queue[tail++] = i; }
  };
  for (let x = 0; x < w; x++) { seed(x); seed((h - 1) * w + x); }
  for (let y = 0; y < h; y++) { seed(y * w); seed(y * w + w - 1); }
  for (let head = 0; head < tail; head++) {
    const i = queue[head]!;
    const x = i % w;
    if (x > 0) seed(i - 1);
    if (x < w - 1) seed(i + 1);
    if (i >= w) seed(i - w);
    if (i < (h - 1) * w) seed(i + w);
  }
  const out = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) out[i] = outside[i] === 1 ? 0 : 1;
  return { width: w, height: h, data: out };
}

/**
 * Post-processing of a predicted mask, in this order: fill holes, drop components smaller than
 * minAreaPx, keep the largest. Holes are filled first so a ring-shaped prediction is judged by the
 * area it encloses, which is how a clinician reads it.
 */
export function cleanMask(mask: Mask, options: CleanOptions = {}): Mask {
  assertMask(mask);
  const minArea = options.minAreaPx ?? 0;
  if (!Number.isFinite(minArea) || minArea < 0) {
    throw new SonoError('INVALID_ARGUMENT', `The minimum lesion area ${minArea} must be a number ≥ 0.`);
  }
  const filled = options.fillHoles ? fillHoles(mask) : mask;
  const c = connectedComponents(filled);
  let kept = labelsBySize(c).filter((k) => c.sizes[k]! >= minArea);
  if (options.largestOnly) kept = kept.slice(0, 1);
  const keep = new Uint8Array(c.count + 1);
  for (const k of kept) keep[k] = 1;
  const out = new Uint8Array(c.labels.length);
  for (let i = 0; i < out.length; i++) out[i] = keep[c.labels[i]!]!;
  return { width: mask.width, height: mask.height, data: out };
}

/** Number of lesions: 8-connected components with at least minAreaPx pixels. */
export function countLesions(mask: Mask, minAreaPx = 0): number {
  const c = connectedComponents(mask);
  let n = 0;
  for (let k = 1; k <= c.count; k++) if (c.sizes[k]! >= minAreaPx) n++;
  return n;
}
