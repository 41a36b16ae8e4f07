import type { EvaluationReport, Summary } from '../common/accumulator';
import type { Confusion } from '../common/metrics';
import { bootstrapIntervals, type Intervals } from './bootstrap';

/** The metrics `sonoseg eval --json` prints for all images and for each class. */
export interface MetricSet {
  n: number;
  /** mean per-image Dice / IoU over images with a lesion (common/accumulator.ts) */
  dice: number | null;
  iou: number | null;
  /** the same means over every image, an empty truth predicted empty counting 1 */
  diceAll: number | null;
  iouAll: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  accuracy: number | null;
  auc: number | null;
  confusion: Confusion;
  /** images with empty truth where a lesion was found after clean-up; null without such images */
  fpImageRate: number | null;
}

export interface EvalJson extends MetricSet {
  perClass: Record<string, MetricSet | null>;
  normalFpRate: number | null;
  /** 95 % bootstrap intervals of dice, iou and normalFpRate (bootstrap.ts) */
  ci95: Intervals;
  threshold: number;
  modelId: string;
  backend: string;
}

export const BUSI_CLASS_NAMES = ['benign', 'malignant', 'normal'] as const;

export function metricSet(s: Summary): MetricSet {
  return {
    n: s.n, dice: s.dice, iou: s.iou, diceAll: s.diceAll, iouAll: s.iouAll,
    precision: s.precision, recall: s.recall, f1: s.f1, accuracy: s.accuracy, auc: s.auc,
    confusion: { ...s.confusion }, fpImageRate: s.falsePositiveImageRate,
  };
}

/**
 * The one JSON object of `sonoseg eval --json`. perClass always names benign, malignant and normal
 * (null for a class with no images) and any other class found. normalFpRate is the false-positive
 * image rate of the 'normal' class when there is one, else over all empty-truth images, else null.
 */
export function evalJson(r: EvaluationReport, threshold: number, modelId: string, backend: string): EvalJson {
  const perClass: Record<string, MetricSet | null> = {};
  for (const c of BUSI_CLASS_NAMES) perClass[c] = null;
  for (const [c, s] of Object.entries(r.perClass)) perClass[c] = metricSet(s);
  const normal = r.perClass.normal;
  const normalFpRate = normal ? normal.falsePositiveImageRate : r.emptyTruthImages > 0 ? r.normalFpRate : null;
  return { ...metricSet(r), perClass, normalFpRate, ci95: bootstrapIntervals(r.perImage), threshold, modelId, backend };
}
