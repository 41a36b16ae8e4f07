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
