import * as tf from '@tensorflow/tfjs';
import type { GrayImage, ProbabilityMap } from '../common/image';
import { SonoError } from '../common/errors';
import { shrinkByArea } from '../common/resize';
import { checkClahe, clahe, type ClaheSettings } from '../common/clahe';

/**
 * The preprocessing plan travels with the model (its card), so inference never reads input size,
 * resize mode or normalisation from code constants (the nnU-Net habit).
 */
export interface PreprocessPlan {
  inputSize: number;
  /** stretch: resize to a square ignoring aspect; letterbox: keep aspect, pad with zeros */
  resize: 'stretch' | 'letterbox';
  /** unit: x / 255; zscore: per-image (x - mean) / std */
  normalization: 'unit' | 'zscore';
  /** average the prediction with that of the left–right mirrored image (test-time augmentation; twice the model time) */
  flip?: boolean;
  /**
   * run the model at each of these input sides and average the maps, each resized back to the image
   * (multi-scale test-time augmentation; one pass per size). Absent: the input size only.
   */
  sizes?: number[];
  /**
   * shrink the image to the model's size by area averaging (every source pixel counts) instead of
   * bilinear sampling, which at 3–4× reads a few pixels of each cell's speckle and so makes the input
   * depend on the scan's pixel size. Absent (every card written before it): bilinear, as trained.
   */
  antialias?: boolean;
  /**
   * contrast-limited adaptive histogram equalisation of the image at the model's size (after resizing, before
   * normalising), so each region's contrast is stretched alike whatever the scanner's gain. Absent: none.
   */
  clahe?: ClaheSettings;
}

/**
 * The plan running at these sides; none, or the input size alone, is the plain plan (no `sizes` field,
 * as every card written before multi-scale averaging reads).
 */
export function withSizes(plan: PreprocessPlan, sizes: number[] | undefined): PreprocessPlan {
  const { sizes: _, ...rest } = plan;
  return !sizes || (sizes.length === 1 && sizes[0] === plan.inputSize) ? rest : { ...rest, sizes: [...sizes] };
}

/** The input sides a plan runs the model at. */
export function planSizes(plan: PreprocessPlan): number[] {
  return plan.sizes ?? [plan.inputSize];
}

export function validatePlan(p: Partial<PreprocessPlan> | undefined, inputSize: number): PreprocessPlan {
  const plan: PreprocessPlan = { inputSize, resize: 'stretch', normalization: 'unit', ...p };
  if (plan.inputSize !== inputSize) {
    throw new SonoError('MODEL_INVALID', `model card says input ${plan.inputSize} but the model takes ${inputSize}`);
  }
  if (plan.resize !== 'stretch' && plan.resize !== 'letterbox') throw new SonoError('MODEL_INVALID', `unknown resize mode ${plan.resize}`);
  if (plan.normalization !== 'unit' && plan.normalization !== 'zscore') {
    throw new SonoError('MODEL_INVALID', `unknown normalisation ${plan.normalization}`);
  }
  if (plan.flip !== undefined && typeof plan.flip !== 'boolean') throw new SonoError('MODEL_INVALID', `plan.flip must be true or false`);
  if (plan.sizes !== undefined) checkSizes(plan.sizes, 'MODEL_INVALID');
  if (plan.antialias !== undefined && typeof plan.antialias !== 'boolean') throw new SonoError('MODEL_INVALID', `plan.antialias must be true or false`);
  if (plan.clahe !== undefined) checkClahe(plan.clahe, 'MODEL_INVALID');
  return plan;
}

/** Input sides for multi-scale averaging: a non-empty list of distinct whole numbers from 32 to 1024. */
export function checkSizes(sizes: unknown, code: 'MODEL_INVALID' | 'INVALID_ARGUMENT'): asserts sizes is number[] {
  if (!Array.isArray(sizes) || sizes.length === 0) throw new SonoError(code, 'the input sizes must be a non-empty list');
  const bad = sizes.find((n) => !(Number.isInteger(n) && n >= 32 && n <= 1024));
  if (bad !== undefined) throw new SonoError(code, `an input size must be a whole number from 32 to 1024, got ${String(bad)}`);
  if (new Set(sizes).size !== sizes.length) throw new SonoError(code, `the input sizes ${sizes.join(', ')} repeat a size`);
}

/** Where the image sits inside the square model input (letterbox) — the whole square for stretch. */
interface Placement { top: number; left: number; height: number; width: number }

function placement(w: number, h: number, plan: PreprocessPlan): Placement {
  const s = plan.inputSize;
  if (plan.resize === 'stretch') return { top: 0, left: 0, height: s, width: s };
  const scale = s / Math.max(w, h);
  const width = Math.max(1, Math.round(w * scale));
  const height = Math.max(1, Math.round(h * scale));
  return { top: Math.floor((s - height) / 2), left: Math.floor((s - width) / 2), height, width };
}

/** One image → [s, s, 1] float32 input. Call inside tf.tidy. */
export function imageToInput(image: GrayImage, plan: PreprocessPlan): tf.Tensor3D {
  const p = placement(image.width, image.height, plan);
  let x = resize(sourceTensor(image, p, plan), p.height, p.width);
  if (plan.clahe) x = tf.tensor3d(clahe(x.dataSync(), p.width, p.height, plan.clahe), [p.height, p.width, 1]);
  x = normalize(x, plan);
  if (plan.resize === 'letterbox') {
    const s = plan.inputSize;
    x = tf.pad(x, [[p.top, s - p.top - p.height], [p.left, s - p.left - p.width], [0, 0]]);
  }
  return x;
}

/** A binary mask → [s, s, 1] float32 target in {0, 1} at the model's size, placed like its image. Call inside tf.tidy. */
export function maskToTarget(mask: { width: number; height: number; data: Uint8Array }, plan: PreprocessPlan): tf.Tensor3D {
  const p = placement(mask.width, mask.height, plan);
  let y = resize(sourceTensor(mask, p, plan), p.height, p.width).greater(0.5).toFloat() as tf.Tensor3D;
  if (plan.resize === 'letterbox') {
    const s = plan.inputSize;
    y = tf.pad(y, [[p.top, s - p.top - p.height], [p.left, s - p.left - p.width], [0, 0]]);
  }
  return y;
}

/** The model's [s, s, 1] output → probability at the original image size. Call inside tf.tidy. */
export function outputToProbability(out: tf.Tensor3D, width: number, height: number, plan: PreprocessPlan): tf.Tensor2D {
  const p = placement(width, height, plan);
  const inside = plan.resize === 'letterbox' ? tf.slice(out, [p.top, p.left, 0], [p.height, p.width, 1]) : out;
  return resize(inside as tf.Tensor3D, height, width).clipByValue(0, 1).squeeze([2]);
}

export function toProbabilityMap(t: tf.Tensor2D): ProbabilityMap {
  const [height, width] = t.shape;
  return { width, height, data: t.dataSync() as Float32Array };
}

/**
 * The image (or mask) as a float [h, w, 1] tensor, already shrunk by area on each side that is larger
 * than its place in the model input when the plan anti-aliases; bilinear resizing then only grows a side
 * (or does nothing). A mask shrunk so and thresholded at ½ is lesion where most of the cell is.
 */
function sourceTensor(image: { width: number; height: number; data: Uint8Array }, p: Placement, plan: PreprocessPlan): tf.Tensor3D {
  if (plan.antialias && (image.width > p.width || image.height > p.height)) {
    const small = shrinkByArea(image, Math.min(image.width, p.width), Math.min(image.height, p.height));
    return tf.tensor3d(small.data, [small.height, small.width, 1], 'float32');
  }
  return tf.tensor3d(image.data, [image.height, image.width, 1], 'int32').toFloat();
}

function resize(x: tf.Tensor3D, height: number, width: number): tf.Tensor3D {
  if (x.shape[0] === height && x.shape[1] === width) return x;
  return tf.image.resizeBilinear(x, [height, width], false, true);
}

function normalize(x: tf.Tensor3D, plan: PreprocessPlan): tf.Tensor3D {
  if (plan.normalization === 'unit') return x.div(255);
  const { mean, variance } = tf.moments(x);
  return x.sub(mean).div(variance.sqrt().add(1e-6));
}
