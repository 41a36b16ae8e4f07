import type { Mask, ProbabilityMap } from './image';
import { cleanMask, fillHoles, threshold as thresholdMap, type CleanOptions } from './mask';
import { connectedComponents } from './components';
import { SonoError } from './errors';

/**
 * How a probability map becomes the mask the app shows: threshold, fill holes, drop specks smaller
 * than a fraction of the image, drop lesions the model is unsure of, and (if the card says so) keep
 * only the largest lesion left. One definition for the viewer,
 * exports, `segment`, training-time validation and `sonoseg eval`, so "a lesion was found" means the
 * same thing everywhere. A model's card may carry its own values, chosen on validation images
 * (`sonoseg calibrate`); DEFAULT_CLEANUP is for models without them.
 */
export interface Cleanup {
  /** drop components smaller than this fraction of the image's pixels (0 keeps every pixel) */
  minAreaFraction: number;
  fillHoles: boolean;
  /**
   * drop components whose mean probability (over the component, holes filled) is below this;
   * 0 keeps every component. A confident lesion has a high mean; the faint blobs a model leaves on
   * normal tissue do not.
   */
  minMeanProbability: number;
  /**
   * keep only the largest lesion left after the other filters (most BUSI images hold one); false
   * keeps every lesion, which is what a clinician expects unless validation images say otherwise
   */
  largestOnly: boolean;
  /**
   * where a lesion's edge is drawn, as a fraction of the threshold: each lesion found at threshold t
   * (and kept by the filters above, which judge the components at t) takes in every pixel connected to
   * it whose probability is at least t × outlineRatio (holes filled as above). 1 draws the edge at t.
   * Below 1, t decides *whether* there is a lesion and t × outlineRatio *where* its edge is, so this
   * never marks an image the threshold alone leaves empty: hysteresis thresholding.
   */
  outlineRatio: number;
}

export const DEFAULT_CLEANUP: Cleanup = { minAreaFraction: 0.001, fillHoles: true, minMeanProbability: 0, largestOnly: false, outlineRatio: 1 };

export function validateThreshold(t: number): number {
  if (!(t > 0 && t < 1)) throw new SonoError('INVALID_ARGUMENT', `The threshold must be between 0 and 1, got ${t}.`);
  return t;
}

/** Checks a clean-up read from a file (a model card); older cards lack minMeanProbability, largestOnly and outlineRatio. */
export function validateCleanup(c: Partial<Cleanup> | undefined): Cleanup {
  const out: Cleanup = { ...DEFAULT_CLEANUP, ...c };
  if (!(out.minAreaFraction >= 0 && out.minAreaFraction < 1)) throw new SonoError('INVALID_ARGUMENT', `minAreaFraction must be in [0, 1), got ${out.minAreaFraction}`);
  if (!(out.minMeanProbability >= 0 && out.minMeanProbability < 1)) throw new SonoError('INVALID_ARGUMENT', `minMeanProbability must be in [0, 1), got ${out.minMeanProbability}`);
  if (typeof out.fillHoles !== 'boolean') throw new SonoError('INVALID_ARGUMENT', 'fillHoles must be true or false');
  if (typeof out.largestOnly !== 'boolean') throw new SonoError('INVALID_ARGUMENT', 'largestOnly must be true or false');
  if (!(out.outlineRatio > 0 && out.outlineRatio <= 1)) throw new SonoError('INVALID_ARGUMENT', `outlineRatio must be in (0, 1], got ${out.outlineRatio}`);
  return out;
}

export function predictedMask(prob: ProbabilityMap, t: number, cleanup: Cleanup = DEFAULT_CLEANUP): Mask {
  const raw = thresholdMap(prob, t);
  const options = cleanOptionsFor(prob.width, prob.height, cleanup);
  const cleaned = options.minAreaPx === 0 && !options.fillHoles ? raw : cleanMask(raw, options);
  const sure = cleanup.minMeanProbability > 0 ? dropUnsure(cleaned, prob, cleanup.minMeanProbability) : cleaned;
  const outlined = cleanup.outlineRatio < 1 ? growInto(sure, prob, t * cleanup.outlineRatio, cleanup.fillHoles) : sure;
  // after the confidence filter and the outline: the largest of the lesions the model is sure of (equal sizes: the first in raster order)
  return cleanup.largestOnly ? cleanMask(outlined, { largestOnly: true }) : outlined;
}

/** Where a clean-up draws lesion edges, in words: "the threshold" or "threshold × r". */
export function describeEdge(outlineRatio: number): string {
  return outlineRatio === 1 ? 'the threshold' : `threshold × ${outlineRatio}`;
}

/** The clean-up in pixels for an image of this size (the mask-only part of a Cleanup). */
export function cleanOptionsFor(width: number, height: number, cleanup: Cleanup = DEFAULT_CLEANUP): CleanOptions {
  return { fillHoles: cleanup.fillHoles, minAreaPx: minAreaPixels(cleanup.minAreaFraction, width * height) };
}

/** The smallest lesion kept, in pixels, for an area filter given as a fraction of an image of `pixels` pixels. */
export function minAreaPixels(fraction: number, pixels: number): number {
  return Math.ceil(fraction * pixels);
}

/**
 * The lesions of `found` grown into the pixels whose probability is at least `low` and that connect to
 * them: the components of the map thresholded at `low` (holes filled when asked) that touch `found`.
 */
export function growInto(found: Mask, prob: ProbabilityMap, low: number, filled: boolean): Mask {
  const above = thresholdMap(prob, low);
  const c = connectedComponents(filled ? fillHoles(above) : above);
  const keep = new Uint8Array(c.count + 1);
  for (let i = 0; i < found.data.length; i++) if (found.data[i] !== 0) keep[c.labels[i]!] = 1;
  const data = new Uint8Array(found.data.length);
  // `found` lies inside the grown map whenever low is at most its threshold; the union keeps that true for any `low`
  for (let i = 0; i < data.length; i++) data[i] = found.data[i] !== 0 || (c.labels[i] !== 0 && keep[c.labels[i]!] === 1) ? 1 : 0;
  return { width: found.width, height: found.height, data };
}

/** Removes the components of `mask` whose mean probability is below `minMean`. */
export function dropUnsure(mask: Mask, prob: ProbabilityMap, minMean: number): Mask {
  const c = connectedComponents(mask);
  if (c.count === 0) return mask;
  const sum = new Float64Array(c.count + 1);
  for (let i = 0; i < c.labels.length; i++) sum[c.labels[i]!] += prob.data[i]!;
  const keep = new Uint8Array(c.count + 1);
  for (let k = 1; k <= c.count; k++) keep[k] = sum[k]! / c.sizes[k]! >= minMean ? 1 : 0;
  const data = new Uint8Array(c.labels.length);
  for (let i = 0; i < data.length; i++) data[i] = keep[c.labels[i]!]!;
  return { width: mask.width, height: mask.height, data };
}
