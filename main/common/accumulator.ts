import type { Mask, ProbabilityMap } from './image';
import { SonoError } from './errors';
import { threshold as thresholdMap, isEmptyMask, assertProbability } from './mask';
import { addConfusion, confusionOf, diceOf, emptyConfusion, iouOf, ratesOf, type Confusion, type Rates } from './metrics';
import { ScoreHistogram, type RocPoint } from './roc';

/**
 * Evaluation over a set of images, with the definitions of metrics.ts and roc.ts:
 * - dice / iou: mean over images whose ground truth is non-empty (benign and malignant in BUSI),
 *   null when there are none; diceAll / iouAll: mean over every image, an empty-vs-empty image
 *   counting 1 (so they reward leaving normal images empty).
 * - precision, recall, f1, accuracy, confusion: pooled over all pixels of all images.
 * - auc: pooled over all pixels, from the probabilities (the threshold plays no part).
 * - falsePositiveImageRate: among images with an empty ground truth ("normal" images), the
 *   fraction where a lesion was found; null when there are none. In BUSI these are exactly the
 *   images of class 'normal'; the report's normalFpRate is this rate over all images.
 */
export interface EvalSample {
  probability: ProbabilityMap;
  truth: Mask;
  /** a pixel is predicted lesion when p ≥ threshold */
  threshold: number;
  /** 'benign' | 'malignant' | 'normal' or any other class name */
  label: string;
  /** the mask as the app would show it (e.g. after cleanMask); default: the thresholded map */
  prediction?: Mask;
  /** whether the app reports a lesion; default: the prediction is non-empty */
  lesionFound?: boolean;
}

export interface ImageResult {
  label: string;
  dice: number;
  iou: number;
  truthEmpty: boolean;
  lesionFound: boolean;
}

export interface Summary extends Rates {
  /** number of images */
  n: number;
  dice: number | null;
  iou: number | null;
  diceAll: number | null;
  iouAll: number | null;
  auc: number | null;
  confusion: Confusion;
  /** images with empty ground truth */
  emptyTruthImages: number;
  falsePositiveImageRate: number | null;
}

export interface EvaluationReport extends Summary {
  perClass: Record<string, Summary>;
  /** falsePositiveImageRate over all images: normal images with any predicted lesion */
  normalFpRate: number | null;
  /** pooled ROC curve for plotting */
  roc: RocPoint[];
  perImage: ImageResult[];
}

/** Running totals of one group of images (all, or one class). */
class Tally {
  n = 0;
  lesionImages = 0;
  diceLesion = 0;
  iouLesion = 0;
  diceAll = 0;
  iouAll = 0;
  emptyTruth = 0;
  emptyTruthWithLesion = 0;
  readonly confusion = emptyConfusion();
  readonly scores: ScoreHistogram;

  constructor(bins: number) {
    this.scores = new ScoreHistogram(bins);
  }

  add(r: ImageResult, c: Confusion, sample: EvalSample): void {
    this.n++;
    this.diceAll += r.dice;
    this.iouAll += r.iou;
    if (r.truthEmpty) {
      this.emptyTruth++;
      if (r.lesionFound) this.emptyTruthWithLesion++;
    } else {
      this.lesionImages++;
      this.diceLesion += r.dice;
      this.iouLesion += r.iou;
    }
    addConfusion(this.confusion, c);
    this.scores.add(sample.probability.data, sample.truth.data);
  }

  summary(): Summary {
    const mean = (s: number, k: number): number | null => (k === 0 ? null : s / k);
    return {
      n: this.n,
      dice: mean(this.diceLesion, this.lesionImages),
      iou: mean(this.iouLesion, this.lesionImages),
      diceAll: mean(this.diceAll, this.n),
      iouAll: mean(this.iouAll, this.n),
      ...ratesOf(this.confusion),
      auc: this.scores.auc(),
      confusion: { ...this.confusion },
      emptyTruthImages: this.emptyTruth,
      falsePositiveImageRate: mean(this.emptyTruthWithLesion, this.emptyTruth),
    };
  }
}

export class MetricAccumulator {
  private readonly all: Tally;
  private readonly classes = new Map<string, Tally>();
  private readonly images: ImageResult[] = [];

  /** bins: resolution of the ROC histograms (see roc.ts) */
  constructor(private readonly bins = 1024) {
    this.all = new Tally(bins);
  }

  /** Adds one image and returns its own result. */
  add(sample: EvalSample): ImageResult {
    assertProbability(sample.probability);
    const { probability: p, truth } = sample;
    if (p.width !== truth.width || p.height !== truth.height) {
      throw new SonoError('INVALID_ARGUMENT',
        `The probability map (${p.width}×${p.height}) and the ground truth (${truth.width}×${truth.height}) differ in size.`);
    }
    const prediction = sample.prediction ?? thresholdMap(p, sample.threshold);
    const c = confusionOf(prediction, truth);
    const result: ImageResult = {
      label: sample.label,
      dice: diceOf(c),
      iou: iouOf(c),
      truthEmpty: c.tp + c.fn === 0,
      lesionFound: sample.lesionFound ?? !isEmptyMask(prediction),
    };
    this.all.add(result, c, sample);
    let tally = this.classes.get(sample.label);
    if (!tally) { tally = new Tally(this.bins); this.classes.set(sample.label, tally); }
    tally.add(result, c, sample);
    this.images.push(result);
    return result;
  }

  report(): EvaluationReport {
    const perClass: Record<string, Summary> = {};
    for (const [label, t] of [...this.classes].sort(([a], [b]) => a.localeCompare(b))) perClass[label] = t.summary();
    const summary = this.all.summary();
    return {
      ...summary,
      perClass,
      normalFpRate: summary.falsePositiveImageRate,
      roc: this.all.scores.curve(),
      perImage: this.images.slice(),
    };
  }
}
