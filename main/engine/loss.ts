import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../common/errors';
import { DEFAULT_CLEANUP } from '../common/postprocess';

/**
 * Dice + binary cross-entropy, the usual segmentation loss for small lesions: BCE gives every pixel
 * a gradient, soft Dice keeps a small lesion from being drowned by the background.
 * Inputs are [n, s, s, 1] probabilities and targets in [0, 1] ({0, 1} masks, or the share of lesion in a
 * cell for deep supervision's coarse maps); returns a scalar (mean over the batch).
 */
export function diceBceLoss(yTrue: tf.Tensor, yPred: tf.Tensor, smooth = 1): tf.Scalar {
  return tf.tidy(() => {
    const eps = 1e-7;
    const p = yPred.clipByValue(eps, 1 - eps);
    const bce = yTrue.mul(p.log()).add(tf.scalar(1).sub(yTrue).mul(tf.scalar(1).sub(p).log())).neg().mean();
    const inter = yTrue.mul(yPred).sum([1, 2, 3]);
    const sums = yTrue.sum([1, 2, 3]).add(yPred.sum([1, 2, 3]));
    const dice = inter.mul(2).add(smooth).div(sums.add(smooth));
    return bce.add(tf.scalar(1).sub(dice).mean()) as tf.Scalar;
  });
}

/**
 * Deep supervision's loss (nnU-Net's weighting): Dice + BCE of the full-size map with weight 1 and of each
 * coarser map, side s / f, with weight 1 / f against the target averaged over f × f cells (the share of
 * lesion in each cell), all divided by the weights' sum. Maps are [n, s / f, s / f, 1] probabilities.
 */
export function deepSupervisionLoss(yTrue: tf.Tensor4D, main: tf.Tensor, coarse: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    const side = yTrue.shape[1];
    let total = diceBceLoss(yTrue, main) as tf.Tensor;
    let weights = 1;
    for (const map of coarse) {
      const f = side / map.shape[1]!;
      if (!Number.isInteger(f) || f < 1 || map.shape[2] !== map.shape[1]) {
        throw new SonoError('MODEL_INVALID', `a deep-supervision map of ${map.shape[1]}×${map.shape[2]} does not divide the ${side}² target`);
      }
      const target = f === 1 ? yTrue : tf.avgPool(yTrue, f, f, 'valid');
      total = total.add(diceBceLoss(target, map).div(f));
      weights += 1 / f;
    }
    return total.div(weights) as tf.Scalar;
  });
}

/**
 * What a training step minimises besides the map's Dice + BCE. `gateWeight` > 0 (gated models only)
 * adds that weight × the binary cross-entropy of the lesion gate's offset, read as a logit, against
 * "this image holds a lesion" (any lesion pixel in its target): the gate is then taught to tell a
 * normal scan from one with a lesion, instead of only learning whatever offset helps the pixels.
 */
export interface LossSettings {
  gateWeight: number;
  /** weight of peakLesionLoss (0 or absent = off) */
  peakWeight?: number;
  /** weight of lovaszHingeLoss on the map (0 or absent = off) */
  lovaszWeight?: number;
}

/**
 * How many of the map's most probable pixels peakLesionLoss averages: the clean-up's smallest lesion
 * (DEFAULT_CLEANUP.minAreaFraction of the image), so a map whose top-k mean is under the threshold
 * cannot hold a lesion the clean-up keeps.
 */
export function peakPixels(size: number, areaFraction = DEFAULT_CLEANUP.minAreaFraction): number {
  return Math.max(1, Math.ceil(areaFraction * size * size));
}

/**
 * A multiple-instance term for the image-level decision: the mean of each map's k most probable
 * pixels, read as "this image holds a lesion", against whether its target has a lesion pixel (BCE).
 * On a normal scan it pushes down the strongest blob, the one the clean-up would keep; the soft Dice
 * term cannot, because on an empty target its gradient, 1/(1 + Σp)², vanishes once a blob has any
 * size. Inputs are [n, s, s, 1] probabilities and {0, 1} targets; returns the mean over the batch.
 */
export function peakLesionLoss(yTrue: tf.Tensor, yPred: tf.Tensor, k: number): tf.Scalar {
  return tf.tidy(() => {
    const n = yTrue.shape[0]!;
    const present = yTrue.reshape([n, -1]).max(1).greater(0.5).toFloat();
    const peak = topMean(yPred.reshape([n, -1]) as tf.Tensor2D, k);
    const eps = 1e-7;
    const m = peak.clipByValue(eps, 1 - eps);
    return present.mul(m.log()).add(tf.scalar(1).sub(present).mul(tf.scalar(1).sub(m).log())).neg().mean() as tf.Scalar;
  });
}

/**
 * Mean of each row's k largest values, with the gradient spread evenly over those k (ties at the k-th
 * value all count). topk itself has no gradient in tfjs, hence the custom one.
 */
function topMean(p: tf.Tensor2D, k: number): tf.Tensor1D {
  const f = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const kth = tf.topk(x as tf.Tensor2D, Math.min(k, x.shape[1]!)).values.min(1, true);
    const mask = x.greaterEqual(kth).toFloat();
    const count = mask.sum(1);
    save([mask, count]);
    return {
      value: x.mul(mask).sum(1).div(count),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [m, c] = saved as [tf.Tensor, tf.Tensor];
        return (dy as tf.Tensor).div(c).expandDims(1).mul(m);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(p) as tf.Tensor1D;
}

/**
 * Mean BCE of per-image logits [n, 1] against "the target [n, s, s, 1] has a lesion pixel";
 * the stable form max(z, 0) − z·y + log(1 + e^−|z|).
 */
export function imageLesionLoss(yTrue: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = yTrue.shape[0]!;
    const present = yTrue.reshape([n, -1]).max(1).greater(0.5).toFloat().reshape([n, 1]);
    const z = logits.reshape([n, 1]);
    return z.relu().sub(z.mul(present)).add(z.abs().neg().exp().log1p()).mean() as tf.Scalar;
  });
}

/**
 * The Lovász hinge (Berman, Triki & Blaschko, CVPR 2018), per image: a convex surrogate of 1 − IoU of the
 * map thresholded at 0.5, averaged over the batch. Each pixel's hinge error 1 − z·s (z its logit, s = ±1
 * its label) is sorted from worst to best and weighted by how much the image's IoU drops as that pixel
 * joins the errors (the Lovász extension's gradient). On an image with an empty target the whole weight
 * falls on the worst pixel, so the loss is max(0, 1 + the highest logit). Inputs are [n, s, s, 1]
 * probabilities (read as logits log(p / (1 − p)), clipped at 1e-7) and {0, 1} targets.
 */
export function lovaszHingeLoss(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = yTrue.shape[0]!;
    const eps = 1e-7;
    const p = yPred.clipByValue(eps, 1 - eps);
    const logits = p.log().sub(tf.scalar(1).sub(p).log()).reshape([n, -1]) as tf.Tensor2D;
    const labels = yTrue.reshape([n, -1]).greater(0.5).toFloat() as tf.Tensor2D;
    return lovaszHingePerImage(logits, labels).mean() as tf.Scalar;
  });
}

/**
 * Berman's lovasz_hinge_flat for each row of [n, P] logits against {0, 1} labels: the loss of every row.
 * Sorting has no gradient in tfjs, so the gradient is written out: d loss / d z_j = −s_j · w_j · [e_j > 0],
 * w_j the Lovász weight at pixel j's rank.
 */
export function lovaszHingePerImage(logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Tensor1D {
  const f = tf.customGrad(((z: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    const [n, count] = z.shape as [number, number];
    const signs = y.mul(2).sub(1);
    const errors = tf.scalar(1).sub(z.mul(signs));
    const { values: sorted, indices } = tf.topk(errors as tf.Tensor2D, count); // worst first
    const flat = indices.add(tf.range(0, n * count, count, 'int32').reshape([n, 1])).reshape([-1]) as tf.Tensor1D;
    const ySorted = tf.gather(y.reshape([-1]), flat).reshape([n, count]);
    const positives = ySorted.sum(1, true);
    const intersection = positives.sub(ySorted.cumsum(1));
    const union = positives.add(tf.scalar(1).sub(ySorted).cumsum(1));
    const jaccard = tf.scalar(1).sub(intersection.div(union));
    const weights = jaccard.sub(tf.pad(jaccard.slice([0, 0], [n, count - 1]), [[0, 0], [1, 0]]));
    const active = weights.mul(sorted.greater(0).toFloat()).reshape([-1]);
    // back to pixel order: scatter the sorted weights to their pixels
    const perPixel = tf.scatterND(flat.reshape([-1, 1]), active, [n * count]).reshape([n, count]);
    save([perPixel, signs]);
    return {
      value: sorted.relu().mul(weights).sum(1),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [w, s] = saved as [tf.Tensor, tf.Tensor];
        return [(dy as tf.Tensor).expandDims(1).mul(w).mul(s).neg(), tf.zerosLike(s)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(logits, labels) as tf.Tensor1D;
}
