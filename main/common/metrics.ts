import type { Mask } from './image';
import { SonoError } from './errors';
import { assertMask } from './components';

/**
 * Segmentation metrics, one set of definitions for the CLI report, the training wizard and the
 * benchmarks.
 *
 * Conventions:
 * - A pixel is predicted lesion when the predicted mask is non-zero (a probability p ≥ threshold).
 * - Per-image Dice = 2|P∩T| / (|P| + |T|), IoU = |P∩T| / |P∪T|. When prediction and truth are both
 *   empty (a normal image correctly left empty) both are 1: the prediction is perfect.
 * - Ratios over pooled pixel counts (precision, recall, F1, accuracy) are null when their
 *   denominator is 0, i.e. when the metric is undefined; never 0, which would read as "all wrong".
 */
export interface Confusion {
  /** lesion pixels predicted lesion */
  tp: number;
  /** background pixels predicted lesion */
  fp: number;
  /** lesion pixels predicted background */
  fn: number;
  /** background pixels predicted background */
  tn: number;
}

export interface Rates {
  /** tp / (tp + fp) */
  precision: number | null;
  /** tp / (tp + fn), the sensitivity */
  recall: number | null;
  /** 2tp / (2tp + fp + fn), equal to the Dice of the pooled pixels */
  f1: number | null;
  /** (tp + tn) / all pixels */
  accuracy: number | null;
}

export function emptyConfusion(): Confusion {
  return { tp: 0, fp: 0, fn: 0, tn: 0 };
}

/** Pixel confusion of one predicted mask against its ground truth (same size). */
export function confusionOf(prediction: Mask, truth: Mask): Confusion {
  assertMask(prediction, 'predicted mask');
  assertMask(truth, 'ground-truth mask');
  if (prediction.width !== truth.width || prediction.height !== truth.height) {
    throw new SonoError('INVALID_ARGUMENT',
      `The predicted mask (${prediction.width}×${prediction.height}) and the ground truth ` +
      `(${truth.width}×${truth.height}) differ in size.`);
  }
  const p = prediction.data, t = truth.data;
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] !== 0) { if (t[i] !== 0) tp++; else fp++; } else if (t[i] !== 0) fn++;
  }
  return { tp, fp, fn, tn: p.length - tp - fp - fn };
}

/** Adds b into a (pooling over images) and returns a. */
export function addConfusion(a: Confusion, b: Confusion): Confusion {
  a.tp += b.tp;
  a.fp += b.fp;
  a.fn += b.fn;
  a.tn += b.tn;
  return a;
}

/** Dice of one image from its confusion; 1 when prediction and truth are both empty. */
export function diceOf(c: Confusion): number {
  const d = 2 * c.tp + c.fp + c.fn;
  return d === 0 ? 1 : (2 * c.tp) / d;
}

/** IoU (Jaccard) of one image from its confusion; 1 when prediction and truth are both empty. */
export function iouOf(c: Confusion): number {
  const d = c.tp + c.fp + c.fn;
  return d === 0 ? 1 : c.tp / d;
}

export function dice(prediction: Mask, truth: Mask): number {
  return diceOf(confusionOf(prediction, truth));
}

export function iou(prediction: Mask, truth: Mask): number {
  return iouOf(confusionOf(prediction, truth));
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/** Precision, recall, F1 and accuracy of pooled pixel counts; null where undefined (0/0). */
export function ratesOf(c: Confusion): Rates {
  return {
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
    accuracy: ratio(c.tp + c.tn, c.tp + c.fp + c.fn + c.tn),
  };
}
