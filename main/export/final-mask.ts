import type { Mask, ProbabilityMap } from '../common/image';
import { SonoError } from '../common/errors';
import { threshold } from '../common/mask';
import { predictedMask, type Cleanup } from '../common/postprocess';

export interface FinalMask {
  mask: Mask;
  /** true when the user's brush edit replaced the thresholded mask (SEG: SEMIAUTOMATIC) */
  edited: boolean;
}

/**
 * The mask an export writes: the user's edited mask when there is one (what the clinician accepted
 * is what leaves the app, so no clean-up is applied on top of it), else the probability thresholded
 * and cleaned as the viewer showed it.
 */
export function finalMask(
  probability: ProbabilityMap,
  t: number,
  edited: Mask | undefined,
  cleanup: Cleanup | undefined,
): FinalMask {
  if (!(t >= 0 && t <= 1)) throw new SonoError('INVALID_ARGUMENT', `The threshold ${t} must lie between 0 and 1.`);
  if (edited) {
    if (edited.width !== probability.width || edited.height !== probability.height) {
      throw new SonoError('INVALID_ARGUMENT',
        `The edited mask is ${edited.width}×${edited.height} but the image is ${probability.width}×${probability.height}.`);
    }
    const data = new Uint8Array(edited.data.length);
    for (let i = 0; i < data.length; i++) data[i] = edited.data[i] !== 0 ? 1 : 0;
    return { mask: { width: edited.width, height: edited.height, data }, edited: true };
  }
  return { mask: cleanup ? predictedMask(probability, t, cleanup) : threshold(probability, t), edited: false };
}
