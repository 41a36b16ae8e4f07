import type { Mask, ProbabilityMap } from './image';
import { cleanMask, threshold as thresholdMap, type CleanOptions } from './mask';
import { SonoError } from './errors';

/**
 * How a probability map becomes the mask the app shows: threshold, fill holes, drop specks smaller
 * than a fraction of the image. One definition for the viewer, exports, `segment`, training-time
 * validation and `sonoseg eval`, so "a lesion was found" means the same thing everywhere.
 */
export interface Cleanup {
  /** drop components smaller than this fraction of the image's pixels (0 keeps every pixel) */
  minAreaFraction: number;
  fillHoles: boolean;
}

export const DEFAULT_CLEANUP: Cleanup = { minAreaFraction: 0.001, fillHoles: true };

export function validateThreshold(t: number): number {
  if (!(t > 0 && t < 1)) throw new SonoError('INVALID_ARGUMENT', `The threshold must be between 0 and 1, got ${t}.`);
  return t;
}

export function predictedMask(prob: ProbabilityMap, t: number, cleanup: Cleanup = DEFAULT_CLEANUP): Mask {
  const raw = thresholdMap(prob, t);
  const options = cleanOptionsFor(prob.width, prob.height, cleanup);
  if (options.minAreaPx === 0 && !options.fillHoles) return raw;
  return cleanMask(raw, options);
}

/** The clean-up in pixels for an image of this size (what cleanMask and the exporter take). */
export function cleanOptionsFor(width: number, height: number, cleanup: Cleanup = DEFAULT_CLEANUP): CleanOptions {
  return { fillHoles: cleanup.fillHoles, minAreaPx: Math.ceil(cleanup.minAreaFraction * width * height) };
}
