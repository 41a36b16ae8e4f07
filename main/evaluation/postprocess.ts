import type { Mask, ProbabilityMap } from '../common/image';
import { cleanMask, threshold as thresholdMap } from '../common/mask';
import { SonoError } from '../common/errors';

/**
 * How a probability map becomes the mask the app shows, for evaluation: threshold, fill holes, drop
 * specks smaller than a fraction of the image. One definition for training-time validation and
 * `sonoseg eval`, so "a lesion was found on a normal image" means the same thing in both.
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
  const minAreaPx = Math.ceil(cleanup.minAreaFraction * prob.width * prob.height);
  if (minAreaPx === 0 && !cleanup.fillHoles) return raw;
  return cleanMask(raw, { fillHoles: cleanup.fillHoles, minAreaPx });
}
