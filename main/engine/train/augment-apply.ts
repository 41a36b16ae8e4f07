import * as tf from '@tensorflow/tfjs';
import type { GrayImage, Mask } from '../../common/image';
import { imageToInput, maskToTarget, type PreprocessPlan } from '../preprocess';
import type { TensorBatch } from '../protocol';
import { affineOf, isIdentityGeometry, type AugmentParams } from './augment-params';
import { carveLesion } from './carve';
import { Rng } from './rng';

/** A raw training example and the augmentation drawn for it; what the pool sends to a worker. */
export interface AugmentedItem {
  image: GrayImage;
  mask: Mask;
  aug: AugmentParams;
  /** the training image whose lesion is carved in, when aug.carve drew one */
  donor?: { image: GrayImage; mask: Mask };
}

/**
 * Intensity changes on the raw 8-bit image, before the model's own preprocessing, so the network
 * sees them exactly as it would see a brighter, flatter or noisier scan: the scanner's gain (× k,
 * clipped at white), gamma, contrast about mid-grey, brightness, then multiplicative speckle (the
 * granular noise of coherent ultrasound).
 */
export function augmentIntensity(image: GrayImage, p: AugmentParams): GrayImage {
  const lut = new Float32Array(256);
  const gain = p.gain ?? 1;
  for (let v = 0; v < 256; v++) lut[v] = (Math.pow(Math.min(1, (v / 255) * gain), p.gamma) - 0.5) * p.contrast + 0.5 + p.brightness;
  const out = new Uint8Array(image.data.length);
  const rng = p.speckleSigma > 0 ? new Rng(p.noiseSeed) : null;
  for (let i = 0; i < out.length; i++) {
    let v = lut[image.data[i]!]!;
    if (rng) v *= 1 + p.speckleSigma * rng.normal();
    out[i] = Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
  return { width: image.width, height: image.height, data: out };
}

/** One example at the model's size: a lesion carved in (if drawn), preprocessing as at inference, then the geometric augmentation. */
function augmentOne(item: AugmentedItem, plan: PreprocessPlan): { x: tf.Tensor3D; y: tf.Tensor3D } {
  const raw = item.aug.carve && item.donor ? carveLesion(item, item.donor, item.aug.carve.margin) : item;
  const x = imageToInput(augmentIntensity(raw.image, item.aug), plan);
  const y = maskToTarget(raw.mask, plan);
  if (isIdentityGeometry(item.aug)) return { x, y };
  const s = plan.inputSize;
  const m = tf.tensor2d([affineOf(item.aug, s)], [1, 8]);
  // areas brought in from outside the image get the image's darkest value (black for 'unit')
  const floor = x.min();
  const warp = (t: tf.Tensor3D) => tf.image.transform(t.expandDims(0) as tf.Tensor4D, m, 'bilinear', 'constant', 0, [s, s]).squeeze([0]) as tf.Tensor3D;
  return { x: warp(x.sub(floor) as tf.Tensor3D).add(floor) as tf.Tensor3D, y: warp(y).greater(0.5).toFloat() as tf.Tensor3D };
}

/** The worker side of a training step: raw items → the augmented batch the gradient step takes. */
export function augmentedBatch(items: AugmentedItem[], plan: PreprocessPlan): TensorBatch {
  const s = plan.inputSize;
  const per = s * s;
  const x = new Float32Array(items.length * per);
  const y = new Float32Array(items.length * per);
  items.forEach((item, i) => {
    tf.tidy(() => {
      const t = augmentOne(item, plan);
      x.set(t.x.dataSync(), i * per);
      y.set(t.y.dataSync(), i * per);
    });
  });
  return { n: items.length, size: s, x, y };
}
