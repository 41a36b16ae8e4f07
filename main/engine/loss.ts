import * as tf from '@tensorflow/tfjs';

/**
 * Dice + binary cross-entropy, the usual segmentation loss for small lesions: BCE gives every pixel
 * a gradient, soft Dice keeps a small lesion from being drowned by the background.
 * Inputs are [n, s, s, 1] probabilities and {0, 1} targets; returns a scalar (mean over the batch).
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
 * What a training step minimises besides the map's Dice + BCE. `gateWeight` > 0 (gated models only)
 * adds that weight × the binary cross-entropy of the lesion gate's offset, read as a logit, against
 * "this image holds a lesion" (any lesion pixel in its target): the gate is then taught to tell a
 * normal scan from one with a lesion, instead of only learning whatever offset helps the pixels.
 */
export interface LossSettings {
  gateWeight: number;
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
